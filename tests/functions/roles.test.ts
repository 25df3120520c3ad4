/**
 * Role tests for every action: identity comes from the WeChat context, staff actions need a
 * clerk, manager actions a manager, admin actions the console or a head-office admin.
 */
import type { ActionInput, ActionName, FunctionName } from '../../domain/contract'
import { DEMO_CLERK_OPENID, DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { joinMember, requestId, scan, XUHUI_CLERK_OPENID } from '../support/counter'
import { callerFor } from '../support/functions'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
})
afterAll(() => emulator?.stop())

type Call = { [F in FunctionName]: { [A in ActionName<F>]: [F, A, ActionInput<F, A>] }[ActionName<F>] }[FunctionName]

const token = 'eyJtIjoibV94In0.c2lnbmF0dXJlLW9mLWEtZm9yZ2VkLXRva2Vu'
const staffCalls: Call[] = [
  ['staff', 'me', {}],
  ['staff', 'verifyMemberCode', { code: '10000001.abcdef.ABCDEFGHIJKLMNOP' }],
  ['staff', 'channelMembers', {}],
  ['staff', 'recordPurchase', { counterToken: token, amount: 100, payMethod: 'cash', requestId: requestId() }],
  ['staff', 'refundPurchase', { purchaseId: 'purchase:st-li:x', requestId: requestId() }],
  ['staff', 'topup', { counterToken: token, amount: 10000, payMethod: 'cash', requestId: requestId() }],
  ['staff', 'adjustPoints', { counterToken: token, points: 10, reason: '补录积分', requestId: requestId() }],
  ['staff', 'cardService', { memberNo: '10000001', phone: '13812345678', action: 'freeze', requestId: requestId() }],
  ['staff', 'counterLog', {}],
  ['staff', 'memberCoupons', { counterToken: token }],
  ['staff', 'redeemCoupon', { couponCode: 'CP.eHh4.abc.ABCDEFGHIJKLMNOP', requestId: requestId() }],
  ['staff', 'collectPickup', { pickupCode: 'PU.eHh4.abc.ABCDEFGHIJKLMNOP', requestId: requestId() }],
]

const adminCalls: Call[] = [
  ['admin', 'validateConfig', {}],
  ['admin', 'bulkGrant', { batchId: 'roles-test', memberIds: ['m_x'], points: 10, reason: '测试' }],
  ['admin', 'runTierReview', { year: 2025 }],
  ['admin', 'runPointsExpiry', {}],
  ['admin', 'trimOutboxes', {}],
  ['admin', 'checkInvariants', { memberIds: ['m_x'] }],
  ['admin', 'markShipped', { orderId: 'o_x', carrier: '顺丰', trackingNo: 'SF1234567' }],
]

/** Every action a member makes for themself: without a WeChat user none of them runs. */
const memberCalls: Call[] = [
  ['member', 'join', {}],
  ['member', 'profile', {}],
  ['member', 'card', {}],
  ['member', 'updateProfile', { name: '小雨' }],
  ['member', 'bindPhone', { code: 'abc' }],
  ['member', 'saveAddress', { name: '林小雨', phone: '13812345678', region: '上海市静安区', detail: '南京西路 1515 号' }],
  ['member', 'removeAddress', { id: 'a1' }],
  ['member', 'recordConsent', { version: '2026-01' }],
  ['member', 'exportData', {}],
  ['member', 'requestDeletion', {}],
  ['member', 'reportLoss', { requestId: requestId() }],
  ['member', 'cancelLoss', { requestId: requestId() }],
  ['loyalty', 'checkin', { requestId: requestId() }],
  ['loyalty', 'earn', { behaviour: 'share', ref: 'article-1', requestId: requestId() }],
  ['loyalty', 'status', {}],
  ['loyalty', 'ledger', {}],
  ['loyalty', 'balanceLedger', {}],
  ['loyalty', 'tierHistory', {}],
  ['payment', 'createTopup', { amount: 10000, requestId: requestId() }],
  ['payment', 'topupStatus', { orderId: 'tp_x' }],
  ['coupon', 'centre', {}],
  ['coupon', 'claim', { templateId: 'welcome-10', requestId: requestId() }],
  ['coupon', 'wallet', {}],
  ['coupon', 'code', { couponId: 'c_x' }],
  ['coupon', 'shareFriendCoupon', { templateId: 'friend-30' }],
  ['coupon', 'claimFriendCoupon', { shareId: 's_x', requestId: requestId() }],
  ['mall', 'products', {}],
  ['mall', 'product', { productId: 'p-lipbalm' }],
  ['mall', 'exchange', { productId: 'p-lipbalm', fulfilment: { type: 'pickup', storeId: 's-jingan' }, requestId: requestId() }],
  ['promo', 'flashSales', {}],
  ['promo', 'flashBuy', { saleId: 'f_x', requestId: requestId() }],
  ['promo', 'groupCampaigns', {}],
  ['promo', 'startGroup', { campaignId: 'g_x', payMethod: 'balance', requestId: requestId() }],
  ['promo', 'joinGroup', { groupId: 'g_x', payMethod: 'balance', requestId: requestId() }],
  ['promo', 'myGroups', {}],
  ['order', 'list', {}],
  ['order', 'detail', { orderId: 'o_x' }],
  ['order', 'pay', { orderId: 'o_x', method: 'balance', requestId: requestId() }],
  ['order', 'cancel', { orderId: 'o_x', requestId: requestId() }],
  ['order', 'pickupCode', { orderId: 'o_x' }],
]

const name = ([fn, action]: Call) => `${fn}.${action}`

describe('roles', () => {
  test.each(staffCalls.map((call) => [name(call), call] as const))('a consumer calling %s gets PERMISSION_DENIED', async (_label, [fn, action, input]) => {
    const answer = await callerFor(url, DEMO_MEMBER_OPENID).call(fn, action as never, input as never)
    expect(answer).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
  })

  test.each(adminCalls.map((call) => [name(call), call] as const))('a consumer and a clerk calling %s get PERMISSION_DENIED', async (_label, [fn, action, input]) => {
    for (const openid of [DEMO_MEMBER_OPENID, DEMO_CLERK_OPENID]) {
      expect(await callerFor(url, openid).call(fn, action as never, input as never)).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
    }
  })

  test.each([...memberCalls, ...staffCalls].map((call) => [name(call), call] as const))('%s without a WeChat user is UNAUTHENTICATED', async (_label, [fn, action, input]) => {
    expect(await callerFor(url, null).call(fn, action as never, input as never)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
  })

  test('points adjustments are for store managers: a clerk is refused', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    expect(await callerFor(url, DEMO_CLERK_OPENID).call('staff', 'adjustPoints', { counterToken, points: 50, reason: '补录积分', requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    })
  })

  test("a clerk cannot act with another clerk's counter token (clerks act in their own store)", async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    const answer = await callerFor(url, XUHUI_CLERK_OPENID).call('staff', 'recordPurchase', { counterToken, amount: 1000, payMethod: 'cash', requestId: requestId() })
    expect(answer).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
  })

  test("a member sees only their own orders and coupons: another member's are NOT_FOUND", async () => {
    const owner = await joinMember(url)
    const other = await joinMember(url)
    const { coupons } = await owner.caller.ok('coupon', 'wallet', {})
    expect(coupons.length).toBeGreaterThan(0)
    expect(await other.caller.call('coupon', 'code', { couponId: coupons[0].couponId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    await callerFor(url, null).ok('admin', 'bulkGrant', { batchId: `roles-${Date.now()}`, memberIds: [owner.memberId], points: 1000, reason: '测试' })
    const { order } = await owner.caller.ok('mall', 'exchange', { productId: 'p-lipbalm', fulfilment: { type: 'pickup', storeId: 's-jingan' }, requestId: requestId() })
    expect(await other.caller.call('order', 'detail', { orderId: order.orderId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await other.caller.call('order', 'cancel', { orderId: order.orderId, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
