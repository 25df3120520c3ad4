/**
 * The promotion sweeper (the jobs function's minute timer `minutely`, its `promo` part): unpaid orders of every kind
 * released once, paging past 1,000 orders and across runs cut short, group seats given back,
 * refused to mini-program users.
 */
import type { GroupRecord } from '../../domain/promo/group-buy'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { orderPaymentEntryId, type OrderRecord } from '../../domain/orders/order'
import { businessDay } from '../../domain/shared/time'
import { expectInvariants } from '../support/counter'
import { insertMembers } from '../support/members'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { AT_STORE, adminApp, callerFor, requestId } from '../support/functions'
import { sweepNow } from '../support/clock'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const db = () => adminApp(emulator.adminUrl).database()
const MIN = 60_000

const sweep = (openid: string | null = null, trigger = 'minutely') => sweepNow(emulator.adminUrl, openid, trigger)

/** A member inserted directly, with the given ledger entries applied (balances are their sums). */
async function insertMember(entries: (memberId: string) => LedgerEntry[] = () => []) {
  const [{ openid, memberId }] = await insertMembers(emulator.adminUrl, 1, { label: 'jobs', opening: entries })
  return { openid, memberId, caller: callerFor(emulator.adminUrl, openid) }
}

function entry(memberId: string, id: string, points: number, balance: number): LedgerEntry {
  const now = new Date()
  return { _id: id, memberId, kind: id.startsWith('order-pay') ? 'order' : 'import', points, balance, growth: 0, requestId: 'test', businessDay: businessDay(now), createdAt: now, description: '测试' }
}

function unpaidOrder(memberId: string, overrides: Partial<OrderRecord>): OrderRecord {
  const now = new Date()
  return {
    _id: `test-order-${process.pid}-${Math.random().toString(36).slice(2, 10)}`,
    kind: 'mall',
    memberId,
    status: 'created',
    title: '测试订单',
    quantity: 1,
    points: 0,
    amount: 500,
    payMethod: null,
    payBy: new Date(now.getTime() - MIN),
    stock: null,
    stockReleasedAt: null,
    fulfilment: null,
    issuesCouponTemplateId: null,
    groupId: null,
    requestId: 'test',
    createdAt: new Date(now.getTime() - 20 * MIN),
    transitions: [{ from: null, to: 'created', at: new Date(now.getTime() - 20 * MIN), reason: '下单', by: memberId }],
    outTradeNo: null,
    ...overrides,
  }
}

async function orderDoc(orderId: string) {
  const { data } = await db().collection('orders').doc(orderId).get()
  return data[0] as OrderRecord
}

async function stockOf(collection: string, id: string) {
  const { data } = await db().collection(collection).doc(id).get()
  return data[0] as { stock: number; sold: number }
}

/** A group-buy campaign of `size` seats at `price` fen, 10 units, open for a day. */
async function addCampaign(campaignId: string, size: number, price: number) {
  await db()
    .collection('group_campaigns')
    .add({
      _id: campaignId,
      title: `测试 ${size} 人团`,
      image: null,
      groupPrice: price,
      listPrice: 900,
      groupSize: size,
      timeLimitMinutes: 60,
      stock: 10,
      sold: 0,
      endAt: new Date(Date.now() + 24 * 60 * MIN),
      fulfilment: ['pickup', 'delivery'],
    })
}

describe('the promo sweeper timer', () => {
  test('runs only for the timer: a mini-program user is refused, an unknown trigger is INVALID_ARGUMENT', async () => {
    expect(await sweep('o_someone_curious')).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
    expect(await sweep(null, 'promoSweep')).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    const quiet = await sweep()
    expect(quiet.ok).toBe(true)
    expect(['orders-unpaid', 'groups-expired', 'groups-refund'].map(quiet.complete)).toEqual([true, true, true])
  })

  test('releases unpaid orders of every kind: a mall order returns its units to the product, a WeChat order gets its points part back', async () => {
    const productId = `p-test-${process.pid}`
    await db().collection('products').add({ _id: productId, name: '测试商品', stock: 3, sold: 2 })
    const buyer = await insertMember()
    const mall = unpaidOrder(buyer.memberId, { stock: { collection: 'products', id: productId, quantity: 2 }, quantity: 2 })
    const wechatId = `test-order-${process.pid}-wechat`
    const withPoints = await insertMember((memberId) => [entry(memberId, `import:${memberId}`, 300, 0), entry(memberId, orderPaymentEntryId(wechatId), -100, 0)])
    const wechat = unpaidOrder(withPoints.memberId, { _id: wechatId, points: 100, amount: 500, payMethod: 'wechat', outTradeNo: 'OD0000test' })
    const notDue = unpaidOrder(buyer.memberId, { payBy: new Date(Date.now() + 5 * MIN) })
    await db().collection('orders').add([mall, wechat, notDue])

    await Promise.all([sweep(), sweep()])
    expect((await orderDoc(mall._id)).status).toBe('cancelled')
    expect(await stockOf('products', productId)).toEqual(expect.objectContaining({ stock: 5, sold: 0 }))
    expect((await orderDoc(wechat._id)).status).toBe('cancelled')
    const { data } = await db().collection('members').doc(withPoints.memberId).get()
    expect((data[0] as { points: number }).points).toBe(300)
    await expectInvariants(emulator.adminUrl, withPoints.memberId)
    expect((await orderDoc(notDue._id)).status).toBe('created')
  })

  test('1,100 unpaid flash orders: released past the first page of 1,000 (over more runs if the deadline cuts one short), each unit back once', async () => {
    const saleId = `fs-jobs-${process.pid}`
    const now = Date.now()
    const count = 1100
    await db()
      .collection('flash_sales')
      .add({
        _id: saleId,
        title: '清仓秒杀',
        image: null,
        price: 100,
        listPrice: 200,
        stock: 0,
        sold: count,
        perMemberLimit: 1,
        startAt: new Date(now - 60 * MIN),
        endAt: new Date(now + 60 * MIN),
        fulfilment: ['pickup', 'delivery'],
      })
    const member = await insertMember()
    const orders = Array.from({ length: count }, (_, i) =>
      unpaidOrder(member.memberId, { _id: `flash:${saleId}:m${String(i).padStart(5, '0')}:1`, kind: 'flash', stock: { collection: 'flash_sales', id: saleId, quantity: 1 } }),
    )
    for (let i = 0; i < orders.length; i += 500)
      await db()
        .collection('orders')
        .add(orders.slice(i, i + 500))

    // one run, continued by later ticks if a deadline cuts it short: its count is the run's
    let answer = await sweep()
    for (let tick = 0; tick < 10 && !answer.complete('orders-unpaid'); tick++) answer = await sweep()
    expect(answer.count('orders-unpaid', 'released')).toBe(count)
    // nothing is left for later runs, concurrent or not
    const again = await Promise.all([sweep(), sweep()])
    expect(again.map((one) => one.count('orders-unpaid', 'released'))).toEqual([0, 0])
    expect(await stockOf('flash_sales', saleId)).toEqual(expect.objectContaining({ stock: count, sold: 0 }))
    const { total } = await db().collection('orders').where({ 'stock.id': saleId, status: 'cancelled' }).count()
    expect(total).toBe(count)
  }, 120_000)

  test('an unpaid joiner released by the sweeper gives the seat back: the group stays open and someone else can take it', async () => {
    const campaignId = `gb-jobs-${process.pid}`
    await addCampaign(campaignId, 2, 500)
    const leader = await insertMember((memberId) => [entry(memberId, `import:${memberId}`, 0, 10_000)])
    const slow = await insertMember()
    const quick = await insertMember((memberId) => [entry(memberId, `import:${memberId}`, 0, 10_000)])
    const { group } = await leader.caller.ok('promo', 'startGroup', { fulfilment: AT_STORE, campaignId, payMethod: 'balance', requestId: requestId() })
    const pending = await slow.caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: group.groupId, payMethod: 'wechat', requestId: requestId() })
    expect((await quick.caller.call('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: group.groupId, payMethod: 'balance', requestId: requestId() })).ok).toBe(false)

    await db()
      .collection('orders')
      .doc(pending.order.orderId)
      .update({ payBy: new Date(Date.now() - MIN) })
    await Promise.all([sweep(), sweep()])
    expect((await orderDoc(pending.order.orderId)).status).toBe('cancelled')
    const { data } = await db().collection('groups').doc(group.groupId).get()
    expect(data[0] as GroupRecord).toMatchObject({ status: 'open', count: 1 })
    expect(await stockOf('group_campaigns', campaignId)).toEqual(expect.objectContaining({ stock: 9, sold: 1 }))

    const joined = await quick.caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: group.groupId, payMethod: 'balance', requestId: requestId() })
    expect(joined.group.status).toBe('success')
    expect(await stockOf('group_campaigns', campaignId)).toEqual(expect.objectContaining({ stock: 8, sold: 2 }))
  })

  test('a pending group order the member cancels (order.cancel) gives its seat back at the next sweep', async () => {
    const campaignId = `gb-jobs-cancel-${process.pid}`
    await addCampaign(campaignId, 2, 500)
    const leader = await insertMember((memberId) => [entry(memberId, `import:${memberId}`, 0, 10_000)])
    const changedMind = await insertMember()
    const other = await insertMember((memberId) => [entry(memberId, `import:${memberId}`, 0, 10_000)])
    const { group } = await leader.caller.ok('promo', 'startGroup', { fulfilment: AT_STORE, campaignId, payMethod: 'balance', requestId: requestId() })
    const pending = await changedMind.caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: group.groupId, payMethod: 'wechat', requestId: requestId() })
    await changedMind.caller.ok('order', 'cancel', { orderId: pending.order.orderId, requestId: requestId() })
    expect(await stockOf('group_campaigns', campaignId)).toEqual(expect.objectContaining({ stock: 9, sold: 1 }))

    const [first, second] = await Promise.all([sweep(), sweep()])
    expect(first.ok && second.ok).toBe(true)
    const { data } = await db().collection('groups').doc(group.groupId).get()
    expect(data[0] as GroupRecord).toMatchObject({ status: 'open', count: 1 })
    expect((data[0] as GroupRecord).participants.map((participant) => participant.memberId)).toEqual([leader.memberId])
    expect((await other.caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: group.groupId, payMethod: 'balance', requestId: requestId() })).group.status).toBe('success')
  })

  test('a group order marked paid without its group knowing (WeChat Pay through a path unaware of groups) is counted by the sweep: the group succeeds', async () => {
    const campaignId = `gb-jobs-count-${process.pid}`
    await addCampaign(campaignId, 2, 500)
    const leader = await insertMember((memberId) => [entry(memberId, `import:${memberId}`, 0, 10_000)])
    const friend = await insertMember()
    const { group } = await leader.caller.ok('promo', 'startGroup', { fulfilment: AT_STORE, campaignId, payMethod: 'balance', requestId: requestId() })
    const pending = await friend.caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: group.groupId, payMethod: 'wechat', requestId: requestId() })
    await db().collection('orders').doc(pending.order.orderId).update({ status: 'paid', payMethod: 'wechat' })
    expect((await friend.caller.ok('promo', 'group', { groupId: group.groupId })).group.status).toBe('open')

    await Promise.all([sweep(), sweep()])
    const { data } = await db().collection('groups').doc(group.groupId).get()
    expect(data[0] as GroupRecord).toMatchObject({ status: 'success', count: 2, paidCount: 2 })
    const response = await fetch(`${emulator.url}/emulator/wechat-calls?api=subscribeMessage.send`)
    const { calls } = (await response.json()) as { calls: { request: { touser: string } }[] }
    expect(calls.filter((call) => call.request.touser === friend.openid)).toHaveLength(1)
    expect(calls.filter((call) => call.request.touser === leader.openid)).toHaveLength(1)
  })

  test('a group order paid by stored value after its group expired (before the sweep) is refunded when the group fails', async () => {
    const campaignId = `gb-jobs-late-${process.pid}`
    await addCampaign(campaignId, 3, 700)
    const leader = await insertMember((memberId) => [entry(memberId, `import:${memberId}`, 0, 10_000)])
    const friend = await insertMember((memberId) => [entry(memberId, `import:${memberId}`, 0, 10_000)])
    const { group } = await leader.caller.ok('promo', 'startGroup', { fulfilment: AT_STORE, campaignId, payMethod: 'balance', requestId: requestId() })
    const pending = await friend.caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: group.groupId, payMethod: 'wechat', requestId: requestId() })
    await db()
      .collection('groups')
      .doc(group.groupId)
      .update({ expiresAt: new Date(Date.now() - 1000) })
    // the member pays the pending order from stored value instead, after the group expired
    await friend.caller.ok('order', 'pay', { orderId: pending.order.orderId, method: 'balance', requestId: requestId() })

    await sweep()
    await sweep()
    for (const member of [leader, friend]) {
      const { data } = await db().collection('members').doc(member.memberId).get()
      expect((data[0] as { balance: number }).balance).toBe(10_000)
      await expectInvariants(emulator.adminUrl, member.memberId)
    }
    expect((await orderDoc(pending.order.orderId)).status).toBe('refunded')
    expect(await stockOf('group_campaigns', campaignId)).toEqual(expect.objectContaining({ stock: 10, sold: 0 }))
  })
})
