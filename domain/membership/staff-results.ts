/**
 * A clerk's results of the day (今日业绩): members their channel code brought in, and the
 * purchases and refunds they recorded at the counter. Counted from facts (domain/shared/events.ts),
 * one document per clerk and business day.
 */
import type { AnyFact } from '../shared/events'

export interface StaffDayFigures {
  joins: number
  purchases: number
  /** fen */
  sales: number
  refunds: number
  /** fen */
  refunded: number
}

export const NO_FIGURES: StaffDayFigures = { joins: 0, purchases: 0, sales: 0, refunds: 0, refunded: 0 }

export function staffDayId(staffId: string, businessDay: string): string {
  return `${staffId}:${businessDay}`
}

export interface StaffDayChange {
  staffId: string
  businessDay: string
  inc: Partial<StaffDayFigures>
}

/** What a fact adds to a clerk's day, if anything. */
export function staffDayChange(fact: AnyFact): StaffDayChange | null {
  switch (fact.type) {
    case 'joined':
      return fact.data.referrerStaffId ? { staffId: fact.data.referrerStaffId, businessDay: fact.data.businessDay, inc: { joins: 1 } } : null
    case 'purchased':
      return { staffId: fact.data.staffId, businessDay: fact.data.businessDay, inc: { purchases: 1, sales: fact.data.payable } }
    case 'refunded':
      return { staffId: fact.data.staffId, businessDay: fact.data.businessDay, inc: { refunds: 1, refunded: fact.data.payable } }
    default:
      return null
  }
}
