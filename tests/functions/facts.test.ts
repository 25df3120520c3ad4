/**
 * The event outbox (backend/platform/events.ts) through the real SDK and the emulator: facts are
 * carried by the write that makes them true and delivered at least once to each follower, which
 * is idempotent, so each follower's effect happens exactly once, whatever crashes and however
 * many drains run at once. Followers here: the welcome gift and the clerk's results (今日业绩).
 */
import { DEMO_CLERK_OPENID } from '../../emulator/seed'
import { DAY, HOUR, MINUTE, fireTimer } from '../support/clock'
import { expectInvariants, requestId, scan, type TestMember } from '../support/counter'
import { AT_STORE, adminApp, callerFor, moveClock, newOpenid, planCrash } from '../support/functions'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { importEntry, insertMembers } from '../support/members'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
  // The tests move the clock a minute at a time (up to about an hour and a half in all) and count
  // the clerk's joins of *today*: late in the Shanghai evening that would cross midnight, so the
  // clock starts six hours on (the demo's live sales run for two days; nothing else here is dated).
  const shanghaiHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(new Date()))
  if (shanghaiHour >= 20) await moveClock(emulator.url, { advanceMs: 6 * HOUR })
})
afterAll(() => emulator?.stop())

const db = () => adminApp(url).database()
const CLERK_CHANNEL = 'c-li'

async function welcomeCoupons(memberId: string): Promise<number> {
  return (await db().collection('coupons').where({ memberId, source: 'welcome' }).count()).total
}

async function clerkDay(): Promise<{ joins: number; purchases: number; sales: number; refunds: number; refunded: number }> {
  const { results } = await callerFor(url, DEMO_CLERK_OPENID).ok('staff', 'todayResults', {})
  return results
}

interface FactDoc {
  _id: string
  pending: string[]
  attempts: Record<string, number>
  due?: unknown
  lease?: string
  lastErrors?: Record<string, string>
  deliveredAt?: unknown
}

async function factDoc(id: string): Promise<FactDoc | undefined> {
  return (await db().collection('facts').doc(id).get()).data[0] as FactDoc | undefined
}

async function memberCarrier(memberId: string): Promise<{ events?: Record<string, unknown>; eventsSeq?: number }> {
  return (await db().collection('members').doc(memberId).get()).data[0] as { events?: Record<string, unknown>; eventsSeq?: number }
}

async function memberIdOf(openid: string): Promise<string | null> {
  const { data } = await db().collection('members').where({ openid }).get()
  return (data[0] as { _id: string } | undefined)?._id ?? null
}

/** A join through the clerk's channel code whose invocation dies after `afterCalls` database calls (if it makes that many). */
async function crashedJoin(afterCalls: number): Promise<{ openid: string; memberId: string | null; crashed: boolean }> {
  const openid = newOpenid('facts')
  await planCrash(emulator.url, { functionName: 'member', action: 'join', afterCalls })
  const crashed = await callerFor(url, openid)
    .raw('member', { action: 'join', input: { scene: CLERK_CHANNEL } })
    .then(
      (answer) => (answer as { ok: boolean }).ok !== true,
      () => true,
    )
  return { openid, memberId: await memberIdOf(openid), crashed }
}

/** The first crash point at which the member exists: right after the write that carries `joined`, before any delivery. */
async function joinCrashedAfterTheFact(): Promise<string> {
  for (let afterCalls = 1; afterCalls < 20; afterCalls++) {
    const { memberId } = await crashedJoin(afterCalls)
    if (memberId) return memberId
  }
  throw new Error('no crash point left a member')
}

describe('joined: the welcome gift and the clerk results follow the join', () => {
  test('a join delivers right away: the gift is there when the card shows, the clerk counts one join, nothing stays carried', async () => {
    const before = await clerkDay()
    const openid = newOpenid('facts')
    const { member } = await callerFor(url, openid).ok('member', 'join', { scene: CLERK_CHANNEL })
    expect(await welcomeCoupons(member.memberId)).toBe(1)
    expect((await clerkDay()).joins).toBe(before.joins + 1)
    const fact = await factDoc(`joined:${member.memberId}`)
    expect(fact).toMatchObject({ pending: [], attempts: { 'welcome-gift': 1, 'staff-results': 1 } })
    expect(fact?.due).toBeUndefined()
    expect(await memberCarrier(member.memberId)).not.toHaveProperty('eventsSeq')
  })

  test('a crash after the fact and before delivery: the minute timer delivers it later, once per follower', async () => {
    const before = await clerkDay()
    const memberId = await joinCrashedAfterTheFact()
    expect(await welcomeCoupons(memberId)).toBe(0)
    expect((await memberCarrier(memberId)).events).toHaveProperty([`joined:${memberId}`])
    expect(await factDoc(`joined:${memberId}`)).toBeUndefined()

    await fireTimer(url, 'minutely')
    await fireTimer(url, 'minutely')
    expect(await welcomeCoupons(memberId)).toBe(1)
    expect((await clerkDay()).joins).toBe(before.joins + 1)
    expect(await factDoc(`joined:${memberId}`)).toMatchObject({ pending: [], attempts: { 'welcome-gift': 1, 'staff-results': 1 } })
    expect(await memberCarrier(memberId)).not.toHaveProperty('events')
    await expectInvariants(url, memberId)
  })

  test('two drains at once deliver once: each follower is called once and its effect happens once', async () => {
    const before = await clerkDay()
    const memberIds = [await joinCrashedAfterTheFact(), await joinCrashedAfterTheFact()]
    await Promise.all([fireTimer(url, 'minutely'), fireTimer(url, 'minutely'), fireTimer(url, 'minutely')])
    for (const memberId of memberIds) {
      expect(await welcomeCoupons(memberId)).toBe(1)
      expect(await factDoc(`joined:${memberId}`)).toMatchObject({ pending: [], attempts: { 'welcome-gift': 1, 'staff-results': 1 } })
    }
    expect((await clerkDay()).joins).toBe(before.joins + 2)
  })

  test('a crash at any point of a join, then the member retrying and the timer: one member, one gift, one join counted', async () => {
    const before = await clerkDay()
    const joined: string[] = []
    let crashes = 0
    for (let afterCalls = 1; afterCalls < 40; afterCalls++) {
      const { openid, crashed } = await crashedJoin(afterCalls)
      if (crashed) crashes++
      const { member } = await callerFor(url, openid).ok('member', 'join', { scene: CLERK_CHANNEL })
      joined.push(member.memberId)
      if (!crashed) break
    }
    expect(crashes).toBeGreaterThan(3)
    // a crash during the delivery right after the join leaves the fact held by its lease until it runs out
    await moveClock(emulator.url, { advanceMs: MINUTE })
    await fireTimer(url, 'minutely')
    for (const memberId of joined) expect(await welcomeCoupons(memberId)).toBe(1)
    expect((await clerkDay()).joins).toBe(before.joins + joined.length)
  })

  test('a delivery that dies holds its lease; once the lease is past, the next drain delivers, still once per effect', async () => {
    // earlier tests' facts held by leases are delivered first, so only this test's fact is in the drain the crashes cut
    await moveClock(emulator.url, { advanceMs: MINUTE })
    await fireTimer(url, 'minutely')
    const before = await clerkDay()
    const memberId = await joinCrashedAfterTheFact()
    // the drain claims the fact (its lease), then dies before recording who is done
    const published = await db().collection('facts').doc(`joined:${memberId}`).get()
    expect(published.data).toHaveLength(0)
    // the minute's sweeps come first (a fixed number of calls when there is nothing to sweep), then the drain
    for (let afterCalls = 1; afterCalls < 90; afterCalls++) {
      await planCrash(emulator.url, { functionName: 'jobs', afterCalls })
      await fireTimer(url, 'minutely').catch(() => undefined)
      const fact = await factDoc(`joined:${memberId}`)
      if (fact && fact.pending.length > 0 && (await welcomeCoupons(memberId)) === 1) break
      // died with the lease taken but before the gift: that lease holds too; let it pass and try the next call
      if (fact?.lease) await moveClock(emulator.url, { advanceMs: MINUTE })
    }
    const held = await factDoc(`joined:${memberId}`)
    expect(held?.pending.length).toBeGreaterThan(0)
    await fireTimer(url, 'minutely')
    expect((await factDoc(`joined:${memberId}`))?.pending.length).toBeGreaterThan(0)

    await moveClock(emulator.url, { advanceMs: MINUTE })
    await fireTimer(url, 'minutely')
    expect(await factDoc(`joined:${memberId}`)).toMatchObject({ pending: [] })
    expect(await welcomeCoupons(memberId)).toBe(1)
    expect((await clerkDay()).joins).toBe(before.joins + 1)
  })

  test('a follower that fails is retried with back-off until it succeeds; the one that succeeded is not called again', async () => {
    const templates = db().collection('coupon_templates')
    const template = (await templates.doc('welcome-10').get()).data[0] as { total: number }
    await templates.doc('welcome-10').update({ total: -5 }) // a console typo: the template no longer validates
    try {
      const { member } = await callerFor(url, newOpenid('facts')).ok('member', 'join', { scene: CLERK_CHANNEL })
      const id = `joined:${member.memberId}`
      expect(await welcomeCoupons(member.memberId)).toBe(0)
      const failed = await factDoc(id)
      expect(failed).toMatchObject({ pending: ['welcome-gift'], attempts: { 'welcome-gift': 1, 'staff-results': 1 } })
      expect(failed?.lastErrors?.['welcome-gift']).toMatch(/coupon_templates\/welcome-10/)

      await fireTimer(url, 'minutely') // not due yet: the first retry waits a minute
      expect((await factDoc(id))?.attempts['welcome-gift']).toBe(1)

      await templates.doc('welcome-10').update({ total: template.total })
      await moveClock(emulator.url, { advanceMs: MINUTE + 1000 })
      await fireTimer(url, 'minutely')
      expect(await welcomeCoupons(member.memberId)).toBe(1)
      expect(await factDoc(id)).toMatchObject({ pending: [], attempts: { 'welcome-gift': 2, 'staff-results': 1 } })
    } finally {
      await templates.doc('welcome-10').update({ total: template.total })
    }
  })
})

describe('purchased and refunded: carried by the ledger update, delivered by the minute timer', () => {
  async function purchase(member: TestMember, amount: number): Promise<string> {
    const counterToken = await scan(url, member)
    const { receipt } = await callerFor(url, DEMO_CLERK_OPENID).ok('staff', 'recordPurchase', { counterToken, amount, payMethod: 'cash', requestId: requestId() })
    return receipt.purchaseId
  }

  test('the purchase carries its fact in the member write; the clerk sees it counted after the next minute, once, and the refund too', async () => {
    const openid = newOpenid('facts')
    const { member } = await callerFor(url, openid).ok('member', 'join', {})
    const buyer: TestMember = { openid, memberId: member.memberId, memberNo: member.memberNo, caller: callerFor(url, openid) }
    const before = await clerkDay()
    const purchaseId = await purchase(buyer, 12_345)
    const carried = await memberCarrier(buyer.memberId)
    expect(Object.keys(carried.events ?? {})).toEqual([`purchased:${purchaseId}`])
    expect(await clerkDay()).toEqual(before)

    await Promise.all([fireTimer(url, 'minutely'), fireTimer(url, 'minutely')])
    const after = await clerkDay()
    expect(after).toMatchObject({ purchases: before.purchases + 1, sales: before.sales + 12_345 })
    expect(await memberCarrier(buyer.memberId)).not.toHaveProperty('events')

    const { refund } = await callerFor(url, DEMO_CLERK_OPENID).ok('staff', 'refundPurchase', { purchaseId, requestId: requestId() })
    await fireTimer(url, 'minutely')
    await fireTimer(url, 'minutely')
    expect(await clerkDay()).toMatchObject({ purchases: after.purchases, refunds: before.refunds + 1, refunded: before.refunded + 12_345 })
    expect(await factDoc(`refunded:${refund.refundId}`)).toMatchObject({ pending: [], attempts: { 'staff-results': 1 } })
    await expectInvariants(url, buyer.memberId)
  })

  test('a retried purchase records its fact once', async () => {
    const openid = newOpenid('facts')
    const { member } = await callerFor(url, openid).ok('member', 'join', {})
    const buyer: TestMember = { openid, memberId: member.memberId, memberNo: member.memberNo, caller: callerFor(url, openid) }
    const before = await clerkDay()
    const counterToken = await scan(url, buyer)
    const input = { counterToken, amount: 5_000, payMethod: 'cash' as const, requestId: requestId() }
    const clerk = callerFor(url, DEMO_CLERK_OPENID)
    await Promise.all([clerk.ok('staff', 'recordPurchase', input), clerk.ok('staff', 'recordPurchase', input)])
    await clerk.ok('staff', 'recordPurchase', input)
    expect((await memberCarrier(buyer.memberId)).eventsSeq).toBe(1)
    await fireTimer(url, 'minutely')
    expect(await clerkDay()).toMatchObject({ purchases: before.purchases + 1, sales: before.sales + 5_000 })
  })

  test("today's results are the clerk's own", async () => {
    const other = await callerFor(url, 'o_demo_clerk_zhaolei').ok('staff', 'todayResults', {})
    expect(other.results).toMatchObject({ purchases: 0, sales: 0 })
    const { results } = await callerFor(url, DEMO_CLERK_OPENID).ok('staff', 'todayResults', {})
    expect(results.purchases).toBeGreaterThan(0)
    expect(results.businessDay).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })
})

describe('every fact is recorded once, with the write that makes it true', () => {
  async function factsOf(memberId: string): Promise<{ _id: string; type: string }[]> {
    const { data } = await db().collection('facts').where({ 'data.memberId': memberId }).get()
    return data as { _id: string; type: string }[]
  }

  test('a group-buy paid by stored value, then failed and refunded: order paid, group joined, order refunded', async () => {
    const [member] = await insertMembers(url, 1, { label: 'facts', opening: (memberId) => [importEntry(memberId, { balance: 50_000 })] })
    const caller = callerFor(url, member.openid)
    await caller.ok('member', 'join', {}) // already a member: nothing new happens
    const started = await caller.ok('promo', 'startGroup', { fulfilment: AT_STORE, campaignId: 'gb-cleanser-3', payMethod: 'balance', requestId: requestId() })
    for (const view of [started.order, started.group]) {
      expect(view).not.toHaveProperty('events')
      expect(view).not.toHaveProperty('eventsSeq')
    }
    const order = (await db().collection('orders').doc(started.order.orderId).get()).data[0] as { events?: Record<string, unknown> }
    expect(Object.keys(order.events ?? {})).toEqual([`order_paid:${started.order.orderId}`])
    const group = (await db().collection('groups').doc(started.group.groupId).get()).data[0] as { events?: Record<string, unknown> }
    expect(Object.keys(group.events ?? {})).toEqual([`group_joined:${started.order.orderId}`])

    await db()
      .collection('groups')
      .doc(started.group.groupId)
      .update({ expiresAt: new Date(Date.now() - 1000) })
    await Promise.all([fireTimer(url, 'minutely'), fireTimer(url, 'minutely')])
    await fireTimer(url, 'minutely')
    const recorded = await factsOf(member.memberId)
    expect(recorded.map((one) => one._id).sort()).toEqual([`group_joined:${started.order.orderId}`, `order_paid:${started.order.orderId}`, `order_refunded:${started.order.orderId}`])
    for (const carrier of ['orders', 'groups']) {
      const id = carrier === 'orders' ? started.order.orderId : started.group.groupId
      expect((await db().collection(carrier).doc(id).get()).data[0]).not.toHaveProperty('eventsSeq')
    }
    await expectInvariants(url, member.memberId)
  })

  test('a join records joined and the welcome coupon claimed, each once', async () => {
    const openid = newOpenid('facts')
    const { member } = await callerFor(url, openid).ok('member', 'join', {})
    await callerFor(url, openid).ok('member', 'join', {})
    await fireTimer(url, 'minutely')
    const types = (await factsOf(member.memberId)).map((one) => one.type).sort()
    expect(types).toEqual(['coupon_claimed', 'joined'])
  })
})

test('the nightly job drops facts delivered more than 90 days ago and keeps the rest', async () => {
  const { member } = await callerFor(url, newOpenid('facts')).ok('member', 'join', {})
  const id = `joined:${member.memberId}`
  expect(await factDoc(id)).toMatchObject({ pending: [] })
  const pendingId = 'joined:m_kept_undelivered'
  await db()
    .collection('facts')
    .add({ _id: pendingId, type: 'joined', at: new Date(), data: { memberId: 'm_kept_undelivered' }, pending: ['welcome-gift'], attempts: {}, parked: ['welcome-gift'], publishedAt: new Date() })
  try {
    await moveClock(emulator.url, { advanceMs: 91 * DAY })
    await fireTimer(url, 'nightly')
    expect(await factDoc(id)).toBeUndefined()
    expect(await factDoc(pendingId)).toBeDefined()
  } finally {
    await moveClock(emulator.url, { reset: true })
  }
})
