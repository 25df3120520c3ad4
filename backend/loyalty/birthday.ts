/**
 * 生日礼: on a member's birthday (Asia/Shanghai) the nightly job gives the tier's birthday
 * points and the configured birthday coupon, once a year (ids derived from member and year).
 * Members born on 29 February celebrate on the 28th in other years.
 */
import type { Tier } from '../../domain/shared/config'
import { birthdaysOn, type MemberRecord } from '../../domain/membership'
import { businessDay } from '../../domain/shared/time'
import { database } from '../platform/cloud'
import { giveCoupon } from '../coupons'
import { CONCURRENCY, mapLimit, type RunLimits } from '../platform/jobs'
import { forEachMemberPage } from './jobs'
import { postEntry } from './ledger'

export interface BirthdayRun {
  day: string
  members: number
  points: number
  coupons: number
  complete: boolean
}

export async function grantBirthdayGifts(now: Date, timeZone: string, tiers: Tier[], couponTemplateId: string | null, limits: RunLimits = {}): Promise<BirthdayRun> {
  const day = businessDay(now, timeZone)
  const year = day.slice(0, 4)
  const run: BirthdayRun = { day, members: 0, points: 0, coupons: 0, complete: false }
  run.complete = await forEachMemberPage<Pick<MemberRecord, '_id' | 'tierId' | 'status'>>(
    { birthdayMonthDay: database().command.in(birthdaysOn(day)), status: 'active' },
    { tierId: true, status: true },
    async (members) => {
      await mapLimit(members, CONCURRENCY, async (member) => {
        run.members++
        const points = tiers.find((tier) => tier._id === member.tierId)?.birthdayGiftPoints ?? 0
        if (points > 0) {
          const posted = await postEntry({
            _id: `birthday:${member._id}:${year}`,
            memberId: member._id,
            kind: 'grant',
            points,
            balance: 0,
            growth: 0,
            requestId: `birthday-${year}`,
            businessDay: day,
            createdAt: now,
            description: '生日礼积分',
          })
          if (!posted.replayed) run.points += points
        }
        const coupon = await giveCoupon(couponTemplateId, member._id, 'birthday', `birthday-${year}`, now)
        if (coupon && new Date(coupon.claimedAt).getTime() === now.getTime()) run.coupons++
      })
    },
    limits,
  )
  return run
}
