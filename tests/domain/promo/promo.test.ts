/** Pure rules of flash sales and group-buys: configuration schemas, states, ids, refusals, views. */
import fc from 'fast-check'
import { promoDemoData } from '../../../emulator/seed-promo'
import { ConfigError, parseConfigDocument } from '../../../domain/shared/config'
import { flashBuyRefusal, flashOrderId, flashOrderIds, flashSaleSchema, flashSaleState, perMemberLimitReached, saleIdOfOrder, toFlashSaleView } from '../../../domain/promo/flash-sale'
import {
  canSucceed,
  effectiveStatus,
  groupCampaignSchema,
  groupExpiry,
  groupIdFor,
  groupNoticeId,
  groupOrderId,
  groupResultMessage,
  joinRefusal,
  recordedPrices,
  startRefusal,
  toGroupView,
  type GroupRecord,
} from '../../../domain/promo/group-buy'

const T0 = new Date('2026-06-18T02:00:00Z')
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000)

const sale = { _id: 'fs-serum', title: '精华秒杀', price: 19900, listPrice: 59000, stock: 100, sold: 0, perMemberLimit: 1, startAt: at(0), endAt: at(60), fulfilment: ['pickup' as const] }

function configError(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('flash sale configuration (flash_sales)', () => {
  test('a good document parses, with image and sold defaulted', () => {
    const { sold, ...withoutSold } = sale
    expect(sold).toBe(0)
    expect(parseConfigDocument(flashSaleSchema, 'flash_sales', withoutSold)).toMatchObject({ image: null, sold: 0, startAt: at(0) })
  })

  test('a date typed as text is refused, naming the collection, document and field', () => {
    const error = configError(() => parseConfigDocument(flashSaleSchema, 'flash_sales', { ...sale, startAt: '2026-06-18T02:00:00Z' }))
    expect(error.message).toContain('flash_sales/fs-serum')
    expect(error.issues).toEqual([{ field: 'startAt', message: 'must be a date (时间), not text' }])
  })

  test('prices in whole fen, list price not below the sale price, end after start, limit 1–10', () => {
    const fields = (doc: object) => configError(() => parseConfigDocument(flashSaleSchema, 'flash_sales', doc)).issues.map((issue) => issue.field)
    expect(fields({ ...sale, price: 199.5 })).toEqual(['price'])
    expect(fields({ ...sale, listPrice: 100 })).toEqual(['listPrice'])
    expect(fields({ ...sale, endAt: at(0) })).toEqual(['endAt'])
    expect(fields({ ...sale, perMemberLimit: 0 })).toEqual(['perMemberLimit'])
    expect(fields({ ...sale, stock: -1 })).toEqual(['stock'])
    expect(fields({ ...sale, _id: 'has:colon' })).toEqual(['_id'])
    // a picture is a cloud storage file id or an https link
    expect(fields({ ...sale, image: 'http://example.com/a.png' })).toEqual(['image'])
    expect(fields({ ...sale, image: '/images/a.png' })).toEqual(['image'])
    expect(parseConfigDocument(flashSaleSchema, 'flash_sales', { ...sale, image: 'cloud://local.6c6f-local-1300000000/images/serum.svg' }).image).toMatch(/^cloud:/)
  })

  test('the ways of fulfilment: at least one, each once, only 门店自提 and 快递配送', () => {
    const fields = (doc: object) => configError(() => parseConfigDocument(flashSaleSchema, 'flash_sales', doc)).issues.map((issue) => issue.field)
    const { fulfilment, ...without } = sale
    expect(fulfilment).toEqual(['pickup'])
    expect(fields(without)).toEqual(['fulfilment'])
    expect(fields({ ...sale, fulfilment: [] })).toEqual(['fulfilment'])
    expect(fields({ ...sale, fulfilment: ['pickup', 'pickup'] })).toEqual(['fulfilment'])
    expect(fields({ ...sale, fulfilment: ['drone'] })).toEqual(['fulfilment.0'])
    expect(parseConfigDocument(flashSaleSchema, 'flash_sales', { ...sale, fulfilment: ['delivery', 'pickup'] }).fulfilment).toEqual(['delivery', 'pickup'])
  })
})

describe('flash sale state and refusals', () => {
  test('upcoming before the start, live from the start, sold out without stock, ended from the end on', () => {
    expect(flashSaleState(sale, at(-1))).toBe('upcoming')
    expect(flashSaleState(sale, at(0))).toBe('live')
    expect(flashSaleState({ ...sale, stock: 0 }, at(30))).toBe('soldOut')
    expect(flashSaleState(sale, at(60))).toBe('ended')
    expect(flashSaleState({ ...sale, stock: 0 }, at(60))).toBe('ended')
  })

  test('the state is live exactly when an attempt may take a unit (start ≤ now < end, stock > 0)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -120, max: 180 }), fc.integer({ min: 0, max: 3 }), (minute, stock) => {
        const now = at(minute)
        const takes = sale.startAt <= now && now < sale.endAt && stock > 0
        expect(flashSaleState({ ...sale, stock }, now) === 'live').toBe(takes)
      }),
    )
  })

  test('a refused attempt says why from the window: not started, ended, else sold out; an unknown sale is NOT_FOUND', () => {
    expect(flashBuyRefusal(sale, at(-1), 'pickup').toJSON()).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'SALE_NOT_STARTED' })
    expect(flashBuyRefusal(sale, at(60), 'pickup').toJSON()).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'SALE_ENDED' })
    expect(flashBuyRefusal(sale, at(10), 'pickup').toJSON()).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'SOLD_OUT' })
    expect(flashBuyRefusal(null, at(10), 'pickup').toJSON()).toMatchObject({ code: 'NOT_FOUND', reason: 'SALE_NOT_FOUND' })
    // a way the sale does not offer: no retry can help, whatever the window
    expect(flashBuyRefusal(sale, at(10), 'delivery').toJSON()).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'FULFILMENT_UNSUPPORTED', message: '该商品不支持快递配送' })
    expect(perMemberLimitReached(2).toJSON()).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'LIMIT_REACHED' })
  })

  test('order slot ids: one per unit of the limit, distinct per member, and the sale is read back from them', () => {
    expect(flashOrderIds({ _id: 'fs-a', perMemberLimit: 3 }, 'm_1')).toEqual(['flash:fs-a:m_1:1', 'flash:fs-a:m_1:2', 'flash:fs-a:m_1:3'])
    expect(flashOrderId('fs-a', 'm_1', 1)).not.toBe(flashOrderId('fs-a', 'm_2', 1))
    expect(saleIdOfOrder('flash:fs-a:m_1:2')).toBe('fs-a')
    expect(saleIdOfOrder('gb:g1:abc')).toBeNull()
  })

  test('the view shows stock left, the limit and what the member bought', () => {
    expect(toFlashSaleView({ ...sale, image: null, stock: 3 }, 1, at(5))).toEqual({
      saleId: 'fs-serum',
      title: '精华秒杀',
      image: null,
      price: 19900,
      listPrice: 59000,
      startAt: at(0).toISOString(),
      endAt: at(60).toISOString(),
      stockLeft: 3,
      perMemberLimit: 1,
      boughtByMe: 1,
      state: 'live',
      fulfilment: ['pickup'],
    })
  })
})

const campaign = {
  _id: 'gb-cleanser',
  title: '洁面 3 人团',
  groupPrice: 6900,
  listPrice: 12900,
  groupSize: 3,
  timeLimitMinutes: 60,
  stock: 10,
  endAt: at(24 * 60),
  fulfilment: ['pickup' as const, 'delivery' as const],
}

function group(overrides: Partial<GroupRecord> = {}): GroupRecord {
  return {
    _id: 'g1',
    campaignId: 'gb-cleanser',
    title: '洁面 3 人团',
    leaderMemberId: 'm_leader',
    size: 3,
    count: 1,
    participants: [{ memberId: 'm_leader', openid: 'o_leader', nickname: '团长', orderId: 'gb:g1:a', joinedAt: at(0) }],
    paidOrders: ['gb:g1:a'],
    paidCount: 1,
    leaderPaid: true,
    status: 'open',
    expiresAt: at(60),
    createdAt: at(0),
    succeededAt: null,
    failedAt: null,
    refundedAt: null,
    notifiedAt: null,
    requestId: 'req-leader',
    ...overrides,
  }
}

const three = [
  { memberId: 'm_leader', openid: 'o_leader', nickname: '团长', orderId: 'gb:g1:a', joinedAt: at(0) },
  { memberId: 'm_2', openid: 'o_2', nickname: '二号', orderId: 'gb:g1:b', joinedAt: at(1) },
  { memberId: 'm_3', openid: 'o_3', nickname: '三号', orderId: 'gb:g1:c', joinedAt: at(2) },
]

describe('group-buy configuration (group_campaigns)', () => {
  test('a good document parses; sizes 2–20, a time limit of 5 minutes to 7 days, list price not below the group price', () => {
    expect(parseConfigDocument(groupCampaignSchema, 'group_campaigns', campaign)).toMatchObject({ sold: 0, image: null })
    const fields = (doc: object) => configError(() => parseConfigDocument(groupCampaignSchema, 'group_campaigns', doc)).issues.map((issue) => issue.field)
    expect(fields({ ...campaign, groupSize: 1 })).toEqual(['groupSize'])
    expect(fields({ ...campaign, timeLimitMinutes: 2 })).toEqual(['timeLimitMinutes'])
    expect(fields({ ...campaign, listPrice: 100 })).toEqual(['listPrice'])
    expect(fields({ ...campaign, endAt: 'tomorrow' })).toEqual(['endAt'])
  })
})

describe('group-buy states', () => {
  test('a group closes after its time limit, but never after the campaign ends', () => {
    expect(groupExpiry(campaign, at(0))).toEqual(at(60))
    expect(groupExpiry({ ...campaign, endAt: at(30) }, at(0))).toEqual(at(30))
  })

  test('an open group past its expiry is failed to members, at once (never a success)', () => {
    expect(effectiveStatus(group(), at(59))).toBe('open')
    expect(effectiveStatus(group(), at(60))).toBe('failed')
    expect(effectiveStatus(group({ status: 'success' }), at(90))).toBe('success')
  })

  test('success needs every seat taken and paid, while open and before expiry', () => {
    const full = group({ count: 3, participants: three, paidCount: 3, paidOrders: ['gb:g1:a', 'gb:g1:b', 'gb:g1:c'] })
    expect(canSucceed(full, at(59))).toBe(true)
    expect(canSucceed({ ...full, paidCount: 2 }, at(59))).toBe(false)
    expect(canSucceed({ ...full, count: 2 }, at(59))).toBe(false)
    expect(canSucceed(full, at(60))).toBe(false)
    expect(canSucceed({ ...full, status: 'failed' }, at(10))).toBe(false)
  })

  test('whatever the order of seats, payments and the clock, a group that can succeed is one members see as open', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 120 }), fc.constantFrom('open', 'success', 'failed'), (count, paid, minute, status) => {
        const candidate = group({ count, paidCount: Math.min(paid, count), status: status as GroupRecord['status'] })
        if (canSucceed(candidate, at(minute))) expect(effectiveStatus(candidate, at(minute))).toBe('open')
      }),
    )
  })

  test('a refused join says why: in it already, succeeded, ended, full, leader unpaid; unknown group NOT_FOUND', () => {
    expect(joinRefusal(group(), 'm_leader', at(1)).toJSON()).toMatchObject({ code: 'ALREADY_EXISTS', reason: 'ALREADY_IN_GROUP' })
    expect(joinRefusal(group({ status: 'success' }), 'm_x', at(1)).reason).toBe('GROUP_COMPLETE')
    expect(joinRefusal(group({ status: 'failed' }), 'm_x', at(1)).reason).toBe('GROUP_ENDED')
    expect(joinRefusal(group(), 'm_x', at(61)).reason).toBe('GROUP_ENDED')
    expect(joinRefusal(group({ count: 3, participants: three }), 'm_x', at(1)).toJSON()).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'GROUP_FULL' })
    expect(joinRefusal(group({ leaderPaid: false }), 'm_x', at(1)).reason).toBe('LEADER_NOT_PAID')
    // none of the reasons above: the seat went meanwhile, so trying again may well get one
    expect(joinRefusal(group(), 'm_x', at(1)).toJSON()).toMatchObject({ code: 'ABORTED', reason: 'BUSY' })
    expect(joinRefusal(null, 'm_x', at(1)).toJSON()).toMatchObject({ code: 'NOT_FOUND', reason: 'GROUP_NOT_FOUND' })
    expect(startRefusal(campaign, at(24 * 60), 'pickup').reason).toBe('CAMPAIGN_ENDED')
    expect(startRefusal({ ...campaign, stock: 0 }, at(1), 'delivery').reason).toBe('SOLD_OUT')
    expect(startRefusal({ ...campaign, fulfilment: ['delivery'] }, at(1), 'pickup').toJSON()).toMatchObject({ reason: 'FULFILMENT_UNSUPPORTED', message: '该商品不支持门店自提' })
    expect(startRefusal(null, at(1), 'pickup').toJSON()).toMatchObject({ code: 'NOT_FOUND', reason: 'CAMPAIGN_NOT_FOUND' })
  })

  test('ids: a group from its leader and request (a retry finds it), an order per member and request, one notice per result and member', () => {
    expect(groupIdFor('m_1', 'req-1')).toBe(groupIdFor('m_1', 'req-1'))
    expect(groupIdFor('m_1', 'req-1')).not.toBe(groupIdFor('m_1', 'req-2'))
    expect(groupIdFor('m_1', 'req-1')).toMatch(/^g[0-9a-f]{23}$/)
    expect(groupOrderId('g1', 'm_1', 'req-1')).not.toBe(groupOrderId('g1', 'm_2', 'req-1'))
    expect(groupNoticeId('g1', 'success', 'm_1')).not.toBe(groupNoticeId('g1', 'failed', 'm_1'))
  })

  test('the view marks the leader and the viewer, and never shows openids or order ids', () => {
    const view = toGroupView(group({ count: 2, participants: three.slice(0, 2) }), 'm_2', at(5), { groupPrice: 6900, listPrice: 12900, fulfilment: ['delivery'], image: null })
    expect(view).toEqual({
      groupId: 'g1',
      campaignId: 'gb-cleanser',
      title: '洁面 3 人团',
      groupPrice: 6900,
      listPrice: 12900,
      groupSize: 3,
      status: 'open',
      expiresAt: at(60).toISOString(),
      members: [
        { nickname: '团长', isLeader: true, joinedAt: at(0).toISOString() },
        { nickname: '二号', isLeader: false, joinedAt: at(1).toISOString() },
      ],
      joinedByMe: true,
      fulfilment: ['delivery'],
      image: null,
    })
    expect(JSON.stringify(view)).not.toMatch(/o_leader|gb:g1/)
  })

  test('a group says the prices it was opened with; an older group without them has none of its own', () => {
    expect(recordedPrices(group({ groupPrice: 5900, listPrice: 9900 }))).toEqual({ groupPrice: 5900, listPrice: 9900 })
    expect(recordedPrices(group())).toBeNull()
    expect(recordedPrices(group({ groupPrice: 5900 }))).toBeNull()
    expect(recordedPrices(campaign)).toEqual({ groupPrice: 6900, listPrice: 12900 })
  })

  test('the result message goes to the participant through the TPL_GROUP_RESULT template and opens the card page', () => {
    expect(groupResultMessage(group(), three[1], 'failed')).toEqual({
      touser: 'o_2',
      template_id: 'TPL_GROUP_RESULT',
      page: 'pages/card/index',
      data: { thing1: { value: '洁面 3 人团' }, phrase2: { value: '拼团失败' }, thing3: { value: '未能在时限内成团，款项已原路退回' } },
    })
    // a success tells each participant how their goods come
    expect(groupResultMessage(group(), { ...three[1], fulfilment: 'pickup' }, 'success').data.thing3.value).toBe('3人团已成团，请到店自提')
    expect(groupResultMessage(group(), { ...three[1], fulfilment: 'delivery' }, 'success').data.thing3.value).toBe('3人团已成团，请留意发货')
  })
})

describe('demo promotions (emulator/seed-promo.ts)', () => {
  test('every demo document passes its schema, and there is a live, an upcoming and a sold-out sale to try', () => {
    const now = new Date()
    const { flash_sales, group_campaigns } = promoDemoData(now)
    const sales = flash_sales.map((doc) => parseConfigDocument(flashSaleSchema, 'flash_sales', doc))
    for (const doc of group_campaigns) parseConfigDocument(groupCampaignSchema, 'group_campaigns', doc)
    expect(sales.map((demo) => flashSaleState(demo, now)).sort()).toEqual(['live', 'soldOut', 'upcoming'])
  })
})
