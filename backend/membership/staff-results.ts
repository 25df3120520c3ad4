/** 今日业绩: a follower counting each clerk's day, and the read the staff tab shows. */
import { NO_FIGURES, staffDayChange, staffDayId, type StaffDayFigures } from '../../domain/membership/staff-results'
import type { StaffDayView } from '../../domain/contract'
import type { AnyFact } from '../../domain/shared/events'
import { businessDay } from '../../domain/shared/time'
import { database } from '../platform/cloud'
import { loyaltyConfig } from '../platform/config-store'
import { countOnce, type Follower } from '../platform/events'

const COLLECTION = 'staff_days'

async function countFact(fact: AnyFact, now: Date): Promise<void> {
  const change = staffDayChange(fact)
  if (!change) return
  const inc = Object.fromEntries(Object.entries(change.inc).filter((entry): entry is [string, number] => typeof entry[1] === 'number'))
  await countOnce(
    fact._id,
    { collection: COLLECTION, id: staffDayId(change.staffId, change.businessDay), initial: { staffId: change.staffId, businessDay: change.businessDay, ...NO_FIGURES }, inc },
    now,
  )
}

export const staffResultsFollower: Follower = { name: 'staff-results', handle: countFact }

export async function staffDay(staffId: string, businessDay: string): Promise<StaffDayFigures> {
  const { data } = await database().collection(COLLECTION).doc(staffDayId(staffId, businessDay)).get()
  const row = data[0] as Partial<StaffDayFigures> | undefined
  return { ...NO_FIGURES, ...Object.fromEntries(Object.keys(NO_FIGURES).map((key) => [key, Number(row?.[key as keyof StaffDayFigures] ?? 0)])) }
}

/** The clerk's results today, in the brand's time zone. */
export async function todayResults(staffId: string, now: Date): Promise<StaffDayView> {
  const { brand } = await loyaltyConfig()
  const day = businessDay(now, brand.timeZone)
  return { businessDay: day, ...(await staffDay(staffId, day)) }
}
