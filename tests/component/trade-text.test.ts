/**
 * What the trade pages compute on the phone: coupon wording on tickets and at the counter, countdowns,
 * points-mall prices and route params read back as written.
 */
import { COUPON_SOURCE_TEXT, couponCondition, couponFigure, couponSummary, usableInText, validityRange } from '../../src/lib/coupon-text'
import { GROUP_STATUS_TEXT, ORDER_KIND_TEXT, formatCountdown, formatPointsPrice } from '../../src/lib/format'
import { ROUTES, routeParam, routeUrl } from '../../src/routes'

const cash = { kind: 'cash' as const, value: 1000, threshold: 10000, giftName: null }
const discount = { kind: 'discount' as const, value: 88, threshold: 20000, giftName: null }
const gift = { kind: 'gift' as const, value: 0, threshold: 0, giftName: '补水面膜小样 1 片' }

test('a coupon reads as its value, its condition and one summary line', () => {
  expect(couponFigure(cash)).toBe('¥10')
  expect(couponFigure({ ...cash, value: 1050 })).toBe('¥10.5')
  expect(couponFigure(discount)).toBe('8.8折')
  expect(couponFigure({ ...discount, value: 90 })).toBe('9折')
  expect(couponFigure(gift)).toBe('礼')
  expect(couponCondition(cash)).toBe('满100可用')
  expect(couponCondition({ ...cash, threshold: 0 })).toBe('无门槛')
  expect(couponCondition(gift)).toBe('到店领取 补水面膜小样 1 片')
  expect(couponSummary(cash)).toBe('满100减10')
  expect(couponSummary(discount)).toBe('满200享8.8折')
  expect(couponSummary({ ...cash, threshold: 0, value: 2000 })).toBe('无门槛减20')
  expect(couponSummary(gift)).toBe('到店领取 补水面膜小样 1 片')
})

test('channels read store first; validity is a Shanghai date range; every source has a label', () => {
  expect(usableInText(['online', 'store'])).toBe('门店、线上可用')
  expect(usableInText(['store'])).toBe('门店可用')
  expect(usableInText(['online'])).toBe('线上可用')
  expect(usableInText([])).toBe('')
  // 2026-01-31T16:30Z is already 1 February in Shanghai
  expect(validityRange({ validFrom: '2026-01-01T00:00:00.000Z', validTo: '2026-01-31T16:30:00.000Z' })).toBe('2026-01-01 至 2026-02-01')
  for (const source of ['centre', 'welcome', 'birthday', 'friend', 'campaign', 'mall'] as const) expect(COUPON_SOURCE_TEXT[source]).toBeTruthy()
})

test('countdowns round up to whole seconds, show days past 24 hours and never go negative', () => {
  expect(formatCountdown(15 * 60_000)).toBe('00:15:00')
  expect(formatCountdown(899_001)).toBe('00:15:00')
  expect(formatCountdown(1)).toBe('00:00:01')
  expect(formatCountdown(0)).toBe('00:00:00')
  expect(formatCountdown(-5000)).toBe('00:00:00')
  expect(formatCountdown(24 * 3_600_000)).toBe('1天 00:00:00')
  expect(formatCountdown((2 * 24 + 3) * 3_600_000 + 4 * 60_000 + 5000)).toBe('2天 03:04:05')
})

test('points-mall prices: points, points + cash, cash alone', () => {
  expect(formatPointsPrice(300, 0)).toBe('300 积分')
  expect(formatPointsPrice(800, 4900)).toBe('800 积分 + ¥49.00')
  expect(formatPointsPrice(0, 4900)).toBe('¥49.00')
  expect(ORDER_KIND_TEXT).toEqual({ mall: '积分兑换', flash: '秒杀', groupbuy: '拼团' })
  expect(GROUP_STATUS_TEXT.failed).toBe('拼团失败（已退款）')
})

test('ids with reserved characters survive the trip through a page URL', () => {
  const orderId = 'mall:m_8101abf25db7193217e0288b:exchange_1'
  const url = routeUrl('order', { orderId })
  expect(url).toBe(`/${ROUTES.order}?orderId=mall%3Am_8101abf25db7193217e0288b%3Aexchange_1`)
  // pages receive the value as written in the URL
  const query = Object.fromEntries(
    url
      .split('?')[1]
      .split('&')
      .map((pair) => pair.split('=')),
  )
  expect(routeParam(query, 'orderId')).toBe(orderId)
  expect(routeParam({}, 'orderId')).toBe('')
  expect(routeParam({ orderId: '%E0%A4%A' }, 'orderId')).toBe('%E0%A4%A') // malformed: kept as is
})
