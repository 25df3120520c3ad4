/**
 * promo group-buy actions (拼团) through the real SDK and the emulator: start, join, the race for
 * the last seats, success once with one notice per participant, failed groups refunded once.
 */
import { EventEmitter } from 'node:events'
import { DEMO_CLERK_OPENID } from '../../emulator/seed'
import type { GroupRecord } from '../../domain/promo/group-buy'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import type { OrderRecord } from '../../domain/orders/order'
import { expectInvariants } from '../support/counter'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { importEntry, insertMembers as insertBulkMembers } from '../support/members'
import { AT_STORE, adminApp, callerFor, newOpenid, planCrash, requestId, type FunctionCaller } from '../support/functions'

EventEmitter.defaultMaxListeners = 0

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const db = () => adminApp(emulator.adminUrl).database()
const MIN = 60_000
const PRICE = 6900
const START_BALANCE = 100_000

interface TestMember {
  openid: string
  memberId: string
  caller: FunctionCaller
}

async function insertMembers(count: number, balance = START_BALANCE): Promise<TestMember[]> {
  const made = await insertBulkMembers(emulator.adminUrl, count, { label: 'group', opening: (memberId) => (balance ? [importEntry(memberId, { balance })] : []) })
  return made.map(({ openid, memberId }) => ({ openid, memberId, caller: callerFor(emulator.adminUrl, openid) }))
}

let campaignSequence = 0
async function insertCampaign(overrides: Record<string, unknown> = {}): Promise<string> {
  const _id = `gb-test-${process.pid}-${++campaignSequence}`
  await db()
    .collection('group_campaigns')
    .add({
      _id,
      title: `测试拼团 ${campaignSequence}`,
      image: null,
      groupPrice: PRICE,
      listPrice: 12900,
      groupSize: 3,
      timeLimitMinutes: 60,
      stock: 100,
      sold: 0,
      endAt: new Date(Date.now() + 24 * 60 * MIN),
      fulfilment: ['pickup', 'delivery'],
      ...overrides,
    })
  return _id
}

async function campaignDoc(campaignId: string) {
  const { data } = await db().collection('group_campaigns').doc(campaignId).get()
  return data[0] as { stock: number; sold: number }
}

async function groupDoc(groupId: string) {
  const { data } = await db().collection('groups').doc(groupId).get()
  return data[0] as GroupRecord
}

async function orderDoc(orderId: string) {
  const { data } = await db().collection('orders').doc(orderId).get()
  return data[0] as OrderRecord
}

async function all<T>(collection: string, where: Record<string, unknown>): Promise<T[]> {
  const out: T[] = []
  for (let offset = 0; ; offset += 1000) {
    const { data } = await db().collection(collection).where(where).skip(offset).limit(1000).get()
    out.push(...(data as T[]))
    if (data.length < 1000) return out
  }
}

async function balanceOf(memberId: string): Promise<number> {
  const { data } = await db().collection('members').doc(memberId).get()
  return (data[0] as { balance: number }).balance
}

async function groupNotices(touser?: string) {
  const response = await fetch(`${emulator.url}/emulator/wechat-calls?api=subscribeMessage.send`)
  const { calls } = (await response.json()) as { calls: { request: { touser: string; template_id: string; data: { phrase2: { value: string }; thing3: { value: string } }; page: string } }[] }
  return calls.map((call) => call.request).filter((request) => request.template_id === 'TPL_GROUP_RESULT' && (!touser || request.touser === touser))
}

function sweep() {
  return callerFor(emulator.adminUrl, null).raw('jobs', { Type: 'Timer', TriggerName: 'minutely', Time: new Date().toISOString() }) as Promise<{ ok: boolean; data?: unknown }>
}

async function start(member: TestMember, campaignId: string) {
  return member.caller.ok('promo', 'startGroup', { fulfilment: AT_STORE, campaignId, payMethod: 'balance', requestId: requestId() })
}

async function join(member: TestMember, groupId: string) {
  return member.caller.call('promo', 'joinGroup', { fulfilment: AT_STORE, groupId, payMethod: 'balance', requestId: requestId() })
}

describe('promo.groupCampaigns / startGroup / joinGroup', () => {
  test('campaigns still open are listed with their terms and stock left; ended ones are not', async () => {
    const open = await insertCampaign({ stock: 7 })
    const ended = await insertCampaign({ endAt: new Date(Date.now() - MIN) })
    const [member] = await insertMembers(1)
    const { campaigns } = await member.caller.ok('promo', 'groupCampaigns', {})
    expect(campaigns.find((campaign) => campaign.campaignId === open)).toMatchObject({ groupPrice: PRICE, listPrice: 12900, groupSize: 3, timeLimitMinutes: 60, stockLeft: 7 })
    expect(campaigns.some((campaign) => campaign.campaignId === ended)).toBe(false)
  })

  test('starting a group takes a unit, opens the group with the leader and pays the leader by stored value', async () => {
    const campaignId = await insertCampaign({ stock: 5 })
    const [leader] = await insertMembers(1)
    const { group, order, payment } = await start(leader, campaignId)
    expect(payment).toBeNull()
    expect(group).toMatchObject({ campaignId, groupSize: 3, status: 'open', joinedByMe: true, members: [{ isLeader: true }] })
    expect(order).toMatchObject({ kind: 'groupbuy', status: 'paid', payMethod: 'balance', amount: PRICE, groupId: group.groupId })
    expect(new Date(group.expiresAt).getTime() - new Date(order.createdAt).getTime()).toBe(60 * MIN)
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 4, sold: 1 }))
    expect(await balanceOf(leader.memberId)).toBe(START_BALANCE - PRICE)
    expect((await groupDoc(group.groupId)).leaderPaid).toBe(true)
    const { groups } = await leader.caller.ok('promo', 'myGroups', {})
    expect(groups.map((mine) => mine.groupId)).toContain(group.groupId)
    await expectInvariants(emulator.adminUrl, leader.memberId)
  })

  test('a group carries the prices it was opened with; a group opened before they were recorded reads its campaign', async () => {
    const campaignId = await insertCampaign({ groupPrice: 5900, listPrice: 9900 })
    const [leader, friend] = await insertMembers(2)
    const { group } = await start(leader, campaignId)
    expect(group).toMatchObject({ groupPrice: 5900, listPrice: 9900 })
    expect(await groupDoc(group.groupId)).toMatchObject({ groupPrice: 5900, listPrice: 9900 })
    // the campaign's price changes later: the group keeps its own, and a friend joining pays it
    await db().collection('group_campaigns').doc(campaignId).update({ groupPrice: 4900, listPrice: 8900 })
    expect((await friend.caller.ok('promo', 'group', { groupId: group.groupId })).group).toMatchObject({ groupPrice: 5900, listPrice: 9900 })
    const joined = await friend.caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: group.groupId, payMethod: 'balance', requestId: requestId() })
    expect(joined.group).toMatchObject({ groupPrice: 5900, listPrice: 9900 })
    expect(joined.order).toMatchObject({ status: 'paid', amount: 5900 })
    expect(await balanceOf(friend.memberId)).toBe(START_BALANCE - 5900)

    // an older group without prices of its own: the campaign's, in every view of it
    const _ = db().command
    await db().collection('groups').doc(group.groupId).update({ groupPrice: _.remove(), listPrice: _.remove() })
    expect((await friend.caller.ok('promo', 'group', { groupId: group.groupId })).group).toMatchObject({ groupPrice: 4900, listPrice: 8900 })
    const { groups } = await leader.caller.ok('promo', 'myGroups', {})
    expect(groups.find((mine) => mine.groupId === group.groupId)).toMatchObject({ groupPrice: 4900, listPrice: 8900 })
  })

  test('the third member completes a 3-person group: success, one notice per participant; a fourth is refused 该团已满; nobody joins twice', async () => {
    const campaignId = await insertCampaign()
    const [leader, second, third, fourth] = await insertMembers(4)
    const { group } = await start(leader, campaignId)
    expect(await join(second, group.groupId)).toMatchObject({ ok: true, data: { group: { status: 'open', joinedByMe: true } } })
    expect(await join(second, group.groupId)).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS', reason: 'ALREADY_IN_GROUP' } })
    expect(await join(leader, group.groupId)).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } })
    const stages = async (member: TestMember) => (await member.caller.ok('order', 'list', {})).orders.map((order) => [order.stage, order.orderNo.length])
    expect(await stages(leader)).toEqual([['grouping', 20]]) // 待成团, not "paid"
    const completed = await join(third, group.groupId)
    expect(completed).toMatchObject({ ok: true, data: { group: { status: 'success' }, order: { status: 'paid', stage: 'pickup' } } })
    for (const member of [leader, second]) expect(await stages(member)).toEqual([['pickup', 20]])
    expect(await join(fourth, group.groupId)).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', reason: 'GROUP_COMPLETE' } })

    const stored = await groupDoc(group.groupId)
    expect(stored).toMatchObject({ status: 'success', count: 3, paidCount: 3 })
    expect(stored.notifiedAt).toBeTruthy()
    for (const member of [leader, second, third]) {
      const notices = await groupNotices(member.openid)
      expect(notices).toHaveLength(1)
      expect(notices[0]).toMatchObject({ page: 'pages/card/index', data: { phrase2: { value: '拼团成功' } } })
    }
    expect(await groupNotices(fourth.openid)).toHaveLength(0)
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 97, sold: 3 }))
    expect(await balanceOf(fourth.memberId)).toBe(START_BALANCE)
    // the sweeper finds nothing more to tell them
    await sweep()
    expect(await groupNotices(leader.openid)).toHaveLength(1)
  })

  test('one member joining the same group 10 times at once (different requests) gets one seat and pays once', async () => {
    const campaignId = await insertCampaign({ stock: 20, groupSize: 5 })
    const [leader, eager] = await insertMembers(2)
    const { group } = await start(leader, campaignId)
    const answers = await Promise.all(Array.from({ length: 10 }, () => join(eager, group.groupId)))
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1)
    for (const answer of answers.filter((candidate) => !candidate.ok)) expect(answer).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } })
    const stored = await groupDoc(group.groupId)
    expect(stored.count).toBe(2)
    expect(stored.participants.filter((participant) => participant.memberId === eager.memberId)).toHaveLength(1)
    expect(await balanceOf(eager.memberId)).toBe(START_BALANCE - PRICE)
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 18, sold: 2 }))
  })

  test('a full group that is not complete yet refuses the next joiner with 该团已满 (FAILED_PRECONDITION)', async () => {
    const campaignId = await insertCampaign({ groupSize: 2 })
    const [leader, second, third] = await insertMembers(3)
    const { group } = await start(leader, campaignId)
    // the second seat is taken but not paid yet (WeChat Pay pending)
    const pending = await second.caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: group.groupId, payMethod: 'wechat', requestId: requestId() })
    expect(pending.payment).toMatchObject({ signType: expect.any(String), paySign: expect.any(String) })
    expect(pending.order.status).toBe('created')
    expect(await join(third, group.groupId)).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', reason: 'GROUP_FULL' } })
    expect((await groupDoc(group.groupId)).status).toBe('open')
  })

  test('a join whose payment fails gives the seat and the unit back and closes its order', async () => {
    const campaignId = await insertCampaign({ stock: 10 })
    const [leader] = await insertMembers(1)
    const [poor] = await insertMembers(1, 100)
    const { group } = await start(leader, campaignId)
    const refused = await join(poor, group.groupId)
    expect(refused).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    const stored = await groupDoc(group.groupId)
    expect(stored).toMatchObject({ count: 1, status: 'open' })
    expect(stored.participants.map((participant) => participant.memberId)).toEqual([leader.memberId])
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 9, sold: 1 }))
    const orders = await all<OrderRecord>('orders', { memberId: poor.memberId })
    expect(orders.map((order) => order.status)).toEqual(['cancelled'])
    expect(await balanceOf(poor.memberId)).toBe(100)
    await expectInvariants(emulator.adminUrl, poor.memberId)
  })

  test('nobody can join before the leader has paid; an unpaid leader order released by the sweeper fails the empty group and returns the unit', async () => {
    const campaignId = await insertCampaign({ stock: 10 })
    const [leader, friend] = await insertMembers(2)
    const started = await leader.caller.ok('promo', 'startGroup', { fulfilment: AT_STORE, campaignId, payMethod: 'wechat', requestId: requestId() })
    expect(started.payment).not.toBeNull()
    expect(started.order.status).toBe('created')
    expect(await join(friend, started.group.groupId)).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', reason: 'LEADER_NOT_PAID' } })

    await db()
      .collection('orders')
      .doc(started.order.orderId)
      .update({ payBy: new Date(Date.now() - MIN) })
    await Promise.all([sweep(), sweep()])
    expect((await orderDoc(started.order.orderId)).status).toBe('cancelled')
    const stored = await groupDoc(started.group.groupId)
    expect(stored).toMatchObject({ status: 'failed', count: 0, participants: [] })
    expect(stored.refundedAt).toBeTruthy()
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 10, sold: 0 }))
    expect(await groupNotices(leader.openid)).toHaveLength(0)
  })

  test('a retried start or join (same requestId) answers with the same group and order, charging once', async () => {
    const campaignId = await insertCampaign({ stock: 10 })
    const [leader, friend] = await insertMembers(2)
    const startRequest = requestId()
    const starts = await Promise.all(Array.from({ length: 4 }, () => leader.caller.call('promo', 'startGroup', { fulfilment: AT_STORE, campaignId, payMethod: 'balance', requestId: startRequest })))
    const okStarts = starts.filter((answer) => answer.ok)
    expect(okStarts.length).toBeGreaterThanOrEqual(1)
    expect(new Set(okStarts.map((answer) => answer.ok && answer.data.order.orderId)).size).toBe(1)
    const groupId = (okStarts[0] as { data: { group: { groupId: string } } }).data.group.groupId
    const joinRequest = requestId()
    const first = await friend.caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId, payMethod: 'balance', requestId: joinRequest })
    const again = await friend.caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId, payMethod: 'balance', requestId: joinRequest })
    expect(again.order.orderId).toBe(first.order.orderId)
    expect(await balanceOf(leader.memberId)).toBe(START_BALANCE - PRICE)
    expect(await balanceOf(friend.memberId)).toBe(START_BALANCE - PRICE)
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 8, sold: 2 }))
    expect((await groupDoc(groupId)).count).toBe(2)
  })

  test('an open group past its expiry shows as failed at once and refuses joins (该团已结束)', async () => {
    const campaignId = await insertCampaign()
    const [leader, friend] = await insertMembers(2)
    const { group } = await start(leader, campaignId)
    await db()
      .collection('groups')
      .doc(group.groupId)
      .update({ expiresAt: new Date(Date.now() - 1000) })
    expect((await friend.caller.ok('promo', 'group', { groupId: group.groupId })).group).toMatchObject({ status: 'failed', joinedByMe: false })
    expect(await join(friend, group.groupId)).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', reason: 'GROUP_ENDED' } })
  })

  test('refusals: lost card FAILED_PRECONDITION, ended campaign, unknown group NOT_FOUND, bad input INVALID_ARGUMENT', async () => {
    const campaignId = await insertCampaign()
    const openid = newOpenid('lost')
    const lost = callerFor(emulator.adminUrl, openid)
    await lost.ok('member', 'join', {})
    await lost.ok('member', 'reportLoss', { requestId: requestId() })
    const refused = await lost.call('promo', 'startGroup', { fulfilment: AT_STORE, campaignId, payMethod: 'balance', requestId: requestId() })
    expect(refused).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(!refused.ok && refused.error.reason).toBe('CARD_LOST')

    const [member] = await insertMembers(1)
    const ended = await insertCampaign({ endAt: new Date(Date.now() - MIN) })
    expect(await member.caller.call('promo', 'startGroup', { fulfilment: AT_STORE, campaignId: ended, payMethod: 'balance', requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', reason: 'CAMPAIGN_ENDED' },
    })
    expect(await member.caller.call('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: 'g-none', payMethod: 'balance', requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
    expect(await member.caller.raw('promo', { action: 'startGroup', input: { campaignId, payMethod: 'points', requestId: requestId() } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
    expect(await member.caller.raw('promo', { action: 'joinGroup', input: { groupId: '', payMethod: 'balance', requestId: requestId() } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 100, sold: 0 }))
  })
})

describe('the race for the last seats, and failed groups', () => {
  test('500 members joining 100 groups of 3 at once: no group over 3, count = participants, stock exact, every full group a success notified once', async () => {
    const started = Date.now()
    const campaignId = await insertCampaign({ stock: 1000, timeLimitMinutes: 120 })
    const leaders = await insertMembers(100)
    const seconds = await insertMembers(50)
    const groupIds: string[] = []
    for (let i = 0; i < leaders.length; i += 25) {
      groupIds.push(...(await Promise.all(leaders.slice(i, i + 25).map(async (leader) => (await start(leader, campaignId)).group.groupId))))
    }
    // half the groups get a second member first
    await Promise.all(seconds.map((member, i) => member.caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: groupIds[i * 2], payMethod: 'balance', requestId: requestId() })))
    const before = new Map((await all<GroupRecord>('groups', { campaignId })).map((group) => [group._id, group.count]))
    const freeSeats = [...before.values()].reduce((sum, count) => sum + (3 - count), 0)
    expect(freeSeats).toBe(150)

    const racers = await insertMembers(500)
    const answers = await Promise.all(racers.map((racer) => join(racer, groupIds[Math.floor(Math.random() * groupIds.length)])))
    const joined = answers.filter((answer) => answer.ok).length
    const refusals = answers.filter((answer) => !answer.ok).map((answer) => !answer.ok && answer.error)
    for (const error of refusals) expect(['GROUP_FULL', 'GROUP_COMPLETE', 'BUSY']).toContain((error as { reason: string }).reason)

    const groups = await all<GroupRecord>('groups', { campaignId })
    expect(groups).toHaveLength(100)
    let seats = 0
    for (const group of groups) {
      expect(group.count).toBeLessThanOrEqual(3)
      expect(group.count).toBe(group.participants.length)
      expect(new Set(group.participants.map((participant) => participant.memberId)).size).toBe(group.count)
      expect(group.paidCount).toBe(group.count)
      expect(group.status).toBe(group.count === 3 ? 'success' : 'open')
      seats += group.count
    }
    expect(seats - 150).toBe(joined)

    const orders = await all<OrderRecord>('orders', { 'stock.id': campaignId })
    const holding = orders.filter((order) => !order.stockReleasedAt)
    expect(holding.every((order) => order.status === 'paid')).toBe(true)
    expect(holding).toHaveLength(seats)
    expect(orders.filter((order) => order.status === 'paid')).toHaveLength(seats)
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 1000 - seats, sold: seats }))

    const notices = await groupNotices()
    for (const group of groups.filter((candidate) => candidate.status === 'success')) {
      for (const participant of group.participants) expect(notices.filter((notice) => notice.touser === participant.openid)).toHaveLength(1)
    }
    for (const member of [...racers.slice(0, 5), ...leaders.slice(0, 5)]) await expectInvariants(emulator.adminUrl, member.memberId)
    expect(Date.now() - started).toBeLessThan(90_000)
  }, 120_000)

  test('expired groups fail and each participant is refunded once, with three sweeps at once and a fourth after; one failure notice each', async () => {
    const campaignId = await insertCampaign({ stock: 50 })
    const members = await insertMembers(20)
    const groupIds: string[] = []
    const participants: TestMember[] = []
    for (let i = 0; i < 10; i++) {
      const leader = members[i]
      const { group } = await start(leader, campaignId)
      groupIds.push(group.groupId)
      participants.push(leader)
      if (i % 2 === 0) {
        await members[10 + i].caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: group.groupId, payMethod: 'balance', requestId: requestId() })
        participants.push(members[10 + i])
      }
    }
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 50 - participants.length, sold: participants.length }))
    for (const groupId of groupIds)
      await db()
        .collection('groups')
        .doc(groupId)
        .update({ expiresAt: new Date(Date.now() - 1000) })

    const runs = await Promise.all([sweep(), sweep(), sweep()])
    expect(runs.every((run) => run.ok)).toBe(true)
    await sweep()

    for (const groupId of groupIds) {
      const group = await groupDoc(groupId)
      expect(group.status).toBe('failed')
      expect(group.refundedAt).toBeTruthy()
    }
    for (const member of participants) {
      expect(await balanceOf(member.memberId)).toBe(START_BALANCE)
      const refunds = await all<LedgerEntry>('ledger', { memberId: member.memberId, kind: 'order-refund' })
      expect(refunds).toHaveLength(1)
      const notices = await groupNotices(member.openid)
      expect(notices).toHaveLength(1)
      expect(notices[0].data.phrase2.value).toBe('拼团失败')
      await expectInvariants(emulator.adminUrl, member.memberId)
    }
    const orders = await all<OrderRecord>('orders', { 'stock.id': campaignId })
    expect(orders.map((order) => order.status)).toEqual(orders.map(() => 'refunded'))
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 50, sold: 0 }))
  })

  test('a sweep that dies in the middle of refunding is finished by the next one: every participant refunded exactly once', async () => {
    const campaignId = await insertCampaign({ stock: 20 })
    const [leader, second] = await insertMembers(2)
    const { group } = await start(leader, campaignId)
    await second.caller.ok('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: group.groupId, payMethod: 'balance', requestId: requestId() })
    await db()
      .collection('groups')
      .doc(group.groupId)
      .update({ expiresAt: new Date(Date.now() - 1000) })

    // Crash the sweep's worker after a few calls (run, lease, page, the group failed, the first order read): the first refund is under way.
    await planCrash(emulator.url, { functionName: 'jobs', eventKey: 'JobWorker', eventIncludes: 'groups-expired:', afterCalls: 5 })
    expect(await sweep()).toMatchObject({ ok: true })
    const midway = await groupDoc(group.groupId)
    expect(midway.status).toBe('failed')
    expect(midway.refundedAt).toBeNull()

    await sweep()
    await sweep()
    expect((await groupDoc(group.groupId)).refundedAt).toBeTruthy()
    for (const member of [leader, second]) {
      expect(await balanceOf(member.memberId)).toBe(START_BALANCE)
      expect(await all<LedgerEntry>('ledger', { memberId: member.memberId, kind: 'order-refund' })).toHaveLength(1)
      await expectInvariants(emulator.adminUrl, member.memberId)
    }
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 20, sold: 0 }))
  })
})

describe('a payment by stored value that falls short', () => {
  test('joining with too little balance is refused; the order is closed, its unit and seat given back, and it is not among the member’s orders', async () => {
    const campaignId = await insertCampaign({ stock: 10 })
    const [leader] = await insertMembers(1)
    const [poor] = await insertMembers(1, 1000)
    const { group } = await start(leader, campaignId)
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 9, sold: 1 }))

    const answer = await poor.caller.call('promo', 'joinGroup', { fulfilment: AT_STORE, groupId: group.groupId, payMethod: 'balance', requestId: requestId() })
    expect(answer).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', reason: 'INSUFFICIENT_BALANCE' } })
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 9, sold: 1 }))
    const stored = (await db().collection('groups').doc(group.groupId).get()).data[0] as GroupRecord
    expect(stored.participants.map((participant) => participant.memberId)).toEqual([leader.memberId])
    expect((await poor.caller.ok('order', 'list', {})).orders).toEqual([])
    // the closed order is kept (its history), only unlisted
    const { data } = await db().collection('orders').where({ memberId: poor.memberId }).get()
    expect(data).toEqual([expect.objectContaining({ status: 'cancelled', unlisted: true })])
    expect(await balanceOf(poor.memberId)).toBe(1000)
    await expectInvariants(emulator.adminUrl, poor.memberId)
    // the leader's own order is still listed
    expect((await leader.caller.ok('order', 'list', {})).orders).toHaveLength(1)
  })
})

describe('how a group-buy reaches each member: 门店自提 or 快递配送, handed over only once the group is formed', () => {
  const ADDRESS = { name: '林小雨', phone: '13800138000', region: '上海市 静安区', detail: '南京西路 1515 号', isDefault: true }
  const attempt = (member: TestMember, action: 'startGroup' | 'joinGroup', input: Record<string, unknown>) =>
    member.caller.raw('promo', { action, input: { payMethod: 'balance', requestId: requestId(), ...input } }) as Promise<{ ok: boolean; error?: { reason: string; message: string } }>

  test('a start without a way, with a way the campaign does not offer, or an unknown store or address takes nothing', async () => {
    const campaignId = await insertCampaign({ stock: 5, fulfilment: ['pickup'] })
    const [leader] = await insertMembers(1)
    expect(await attempt(leader, 'startGroup', { campaignId })).toMatchObject({ ok: false, error: { reason: 'FULFILMENT_REQUIRED', message: '请选择自提门店' } })
    expect(await attempt(leader, 'startGroup', { campaignId, fulfilment: { type: 'pickup', storeId: 's-nowhere' } })).toMatchObject({ ok: false, error: { reason: 'STORE_NOT_FOUND' } })
    expect(await attempt(leader, 'startGroup', { campaignId, fulfilment: { type: 'delivery', addressId: 'a1' } })).toMatchObject({ ok: false, error: { reason: 'ADDRESS_NOT_FOUND' } })
    const { addresses } = await leader.caller.ok('member', 'saveAddress', ADDRESS)
    expect(await attempt(leader, 'startGroup', { campaignId, fulfilment: { type: 'delivery', addressId: addresses[0].id } })).toMatchObject({
      ok: false,
      error: { reason: 'FULFILMENT_UNSUPPORTED', message: '该商品不支持快递配送' },
    })
    expect(await campaignDoc(campaignId)).toEqual(expect.objectContaining({ stock: 5, sold: 0 }))
    expect((await db().collection('groups').where({ campaignId }).count()).total).toBe(0)
    expect(await balanceOf(leader.memberId)).toBe(START_BALANCE)
  })

  test('the leader picks up at a store, a friend has it delivered; neither is handed over or shipped before the group is formed', async () => {
    const campaignId = await insertCampaign({ groupSize: 3 })
    const [leader, friend, third] = await insertMembers(3)
    const started = await start(leader, campaignId)
    expect(started.group.fulfilment).toEqual(['pickup', 'delivery'])
    expect(started.order).toMatchObject({ stage: 'grouping', fulfilment: { type: 'pickup', storeId: 's-jingan', storeName: '上海静安嘉里中心店' } })
    const { addresses } = await friend.caller.ok('member', 'saveAddress', ADDRESS)
    const joined = await friend.caller.ok('promo', 'joinGroup', {
      groupId: started.group.groupId,
      fulfilment: { type: 'delivery', addressId: addresses[0].id },
      payMethod: 'balance',
      requestId: requestId(),
    })
    expect(joined.order).toMatchObject({ stage: 'grouping', fulfilment: { type: 'delivery', address: '林小雨 13800138000 上海市 静安区 南京西路 1515 号' } })

    // 待成团: no pickup code, no hand-over at the counter, no shipping
    expect(await leader.caller.call('order', 'pickupCode', { orderId: started.order.orderId })).toMatchObject({ ok: false, error: { reason: 'GROUP_NOT_FORMED', message: '拼团成功后才能提货' } })
    const ship = () => callerFor(emulator.adminUrl, null).call('admin', 'markShipped', { orderId: joined.order.orderId, carrier: '顺丰', trackingNo: 'SF1234567890' })
    expect(await ship()).toMatchObject({ ok: false, error: { reason: 'GROUP_NOT_FORMED', message: '拼团成功后才能发货' } })
    expect((await orderDoc(joined.order.orderId)).status).toBe('paid')

    // formed: the leader's code is handed over at the store, the friend's parcel is shipped
    expect(await join(third, started.group.groupId)).toMatchObject({ ok: true, data: { group: { status: 'success' } } })
    const { code } = await leader.caller.ok('order', 'pickupCode', { orderId: started.order.orderId })
    const handed = await callerFor(emulator.adminUrl, DEMO_CLERK_OPENID).ok('staff', 'collectPickup', { pickupCode: code, requestId: requestId() })
    expect(handed.order).toMatchObject({ orderId: started.order.orderId, status: 'fulfilled', stage: 'done' })
    expect(await ship()).toMatchObject({ ok: true, data: { order: { status: 'fulfilled', stage: 'shipped', fulfilment: { trackingNo: 'SF1234567890' } } } })

    // each one's result notice says how their goods come
    const said = async (member: TestMember) => (await groupNotices(member.openid)).map((notice) => notice.data.thing3.value)
    expect(await said(leader)).toEqual(['3人团已成团，请到店自提'])
    expect(await said(friend)).toEqual(['3人团已成团，请留意发货'])
  })

  test('a group keeps the ways it was opened with: a friend joining after the campaign dropped delivery may still choose it', async () => {
    const campaignId = await insertCampaign({ groupSize: 2 })
    const [leader, friend] = await insertMembers(2)
    const started = await start(leader, campaignId)
    await db()
      .collection('group_campaigns')
      .doc(campaignId)
      .update({ fulfilment: ['pickup'] })
    const { addresses } = await friend.caller.ok('member', 'saveAddress', ADDRESS)
    expect((await friend.caller.ok('promo', 'group', { groupId: started.group.groupId })).group.fulfilment).toEqual(['pickup', 'delivery'])
    const joined = await friend.caller.ok('promo', 'joinGroup', {
      groupId: started.group.groupId,
      fulfilment: { type: 'delivery', addressId: addresses[0].id },
      payMethod: 'balance',
      requestId: requestId(),
    })
    expect(joined.order).toMatchObject({ stage: 'shipping', fulfilment: { type: 'delivery' } })
  })
})
