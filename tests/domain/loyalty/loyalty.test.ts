import { withBalances } from '../../../domain/loyalty/loyalty'
import type { LedgerEntry } from '../../../domain/shared/ledger-entry'
import { maskPhone, memberIdFor } from '../../../domain/membership/member'

const entry = (id: string, points: number, minutesAgo: number): LedgerEntry => ({
  _id: id,
  memberId: 'm',
  kind: 'checkin',
  points,
  balance: 0,
  growth: 0,
  requestId: `req-${id}`,
  businessDay: '2026-11-25',
  createdAt: new Date(Date.parse('2026-11-25T02:00:00Z') - minutesAgo * 60_000),
  description: '每日签到',
})

describe('ledger views', () => {
  test('balances walk back from the newest entry so the oldest ends at its own change', () => {
    const views = withBalances([entry('c', 10, 1), entry('b', -30, 2), entry('a', 100, 3)], 80)
    expect(views.map((view) => [view.id, view.balanceAfter])).toEqual([
      ['c', 80],
      ['b', 70],
      ['a', 100],
    ])
  })
})

describe('member identity and privacy', () => {
  test('one WeChat user maps to one member id, different users to different ids', () => {
    expect(memberIdFor('o_a')).toBe(memberIdFor('o_a'))
    expect(memberIdFor('o_a')).not.toBe(memberIdFor('o_b'))
    expect(memberIdFor('o_a')).toMatch(/^m_[0-9a-f]{24}$/)
  })

  test('phone numbers are masked for clerks', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone(null)).toBeNull()
  })
})
