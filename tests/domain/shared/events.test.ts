import { FACT_TYPES, fact, factId, MAX_DELIVERY_ATTEMPTS, retryDelayMs } from '../../../domain/shared/events'
import { staffDayChange } from '../../../domain/membership/staff-results'

describe('fact ids', () => {
  test('are the type and the cause; a cause with a dot or a dollar cannot become a nested field name', () => {
    expect(factId('purchased', 'purchase:st-li:req_1')).toBe('purchased:purchase:st-li:req_1')
    const odd = factId('coupon_claimed', 'tpl.v2:m_1:$1')
    expect(odd).toBe('coupon_claimed:tpl~2ev2:m_1:~241')
    expect(odd).not.toMatch(/[.$]/)
    expect(factId('coupon_claimed', 'a.b')).not.toBe(factId('coupon_claimed', 'a~2eb~'))
    expect(() => factId('joined', '')).toThrow()
  })

  test('the same cause always names the same fact', () => {
    const at = new Date('2026-12-02T02:00:00Z')
    expect(fact('joined', 'm_1', at, { memberId: 'm_1', channelId: null, referrerStaffId: null, businessDay: '2026-12-02' })._id).toBe(
      fact('joined', 'm_1', new Date(), { memberId: 'm_1', channelId: 'c', referrerStaffId: 's', businessDay: '2026-12-03' })._id,
    )
    expect(new Set(FACT_TYPES).size).toBe(FACT_TYPES.length)
  })
})

describe('retries', () => {
  test('wait one minute, then double, never more than six hours, and end after a dozen attempts (about two days)', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000])
    expect(retryDelayMs(30)).toBe(6 * 3_600_000)
    const total = Array.from({ length: MAX_DELIVERY_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1)).reduce((sum, ms) => sum + ms, 0)
    expect(total / 3_600_000).toBeGreaterThan(24)
    expect(total / 3_600_000).toBeLessThan(72)
  })
})

describe("a clerk's day (今日业绩)", () => {
  const at = new Date()
  test('a join counts for the clerk whose channel brought the member, and for nobody without one', () => {
    expect(staffDayChange(fact('joined', 'm_1', at, { memberId: 'm_1', channelId: 'c-li', referrerStaffId: 'st-li', businessDay: '2026-12-02' }))).toEqual({
      staffId: 'st-li',
      businessDay: '2026-12-02',
      inc: { joins: 1 },
    })
    expect(staffDayChange(fact('joined', 'm_2', at, { memberId: 'm_2', channelId: null, referrerStaffId: null, businessDay: '2026-12-02' }))).toBeNull()
  })

  test('a purchase adds its payable amount, a refund its own, each to the clerk who recorded it', () => {
    const purchased = fact('purchased', 'p1', at, { memberId: 'm', entryId: 'p1', storeId: 's', staffId: 'st-a', payable: 9900, points: 99, businessDay: '2026-12-02' })
    expect(staffDayChange(purchased)).toEqual({ staffId: 'st-a', businessDay: '2026-12-02', inc: { purchases: 1, sales: 9900 } })
    const refunded = fact('refunded', 'r1', at, { memberId: 'm', entryId: 'r1', purchaseId: 'p1', storeId: 's', staffId: 'st-b', payable: 9900, businessDay: '2026-12-03' })
    expect(staffDayChange(refunded)).toEqual({ staffId: 'st-b', businessDay: '2026-12-03', inc: { refunds: 1, refunded: 9900 } })
    expect(staffDayChange(fact('group_joined', 'o1', at, { memberId: 'm', groupId: 'g', orderId: 'o1', leader: true }))).toBeNull()
  })
})
