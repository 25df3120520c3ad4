import { topupEntryId } from '../../domain/loyalty/stored-value'
import { DEMO_MEMBER_OPENID } from '../../emulator/seed'
import type { NotifyAnswer, PayOrder } from '../../emulator/pay'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor, newOpenid, planCrash, requestId, type FunctionCaller } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const db = () => adminApp(emulator.adminUrl).database()

interface TestMember {
  openid: string
  memberId: string
  caller: FunctionCaller
}

async function newMember(label = 'pay'): Promise<TestMember> {
  const openid = newOpenid(label)
  const caller = callerFor(emulator.adminUrl, openid)
  const { member } = await caller.ok('member', 'join', {})
  return { openid, caller, memberId: member.memberId }
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function notify(outTradeNo: string, result: 'SUCCESS' | 'FAIL', extra: { times?: number; concurrent?: boolean; totalFee?: number } = {}): Promise<NotifyAnswer[]> {
  const { status, body } = await post('/emulator/pay/notify', { outTradeNo, result, ...extra })
  if (status !== 200) throw new Error(`notify answered ${status}: ${JSON.stringify(body)}`)
  return body.answers as NotifyAnswer[]
}

const acked = (answer: NotifyAnswer) => answer.ok && (answer.result as { errcode?: number } | null)?.errcode === 0

async function payOrders(): Promise<PayOrder[]> {
  return ((await (await fetch(`${emulator.url}/emulator/pay/orders`)).json()) as { orders: PayOrder[] }).orders
}

async function memberDoc(memberId: string) {
  const { data } = await db().collection('members').doc(memberId).get()
  return data[0] as { balance: number; points: number; status: string; outbox: Record<string, { balance: number }> }
}

async function orderDoc(orderId: string) {
  const { data } = await db().collection('payment_orders').doc(orderId).get()
  return data[0] as { status: string; amount: number; bonus: number; balanceAfter: number | null; memberId: string } | undefined
}

async function topupEntries(memberId: string) {
  const { data } = await db().collection('ledger').where({ memberId, kind: 'topup' }).limit(1000).get()
  return data as { _id: string; balance: number; points: number; detail: Record<string, unknown> }[]
}

/** The invariant: stored value equals Σ balance over the member's ledger ∪ outbox (each entry once). */
async function expectBalanceInvariant(memberId: string): Promise<void> {
  const { data } = await db().collection('ledger').where({ memberId }).limit(1000).get()
  const byId = new Map((data as { _id: string; balance: number }[]).map((entry) => [entry._id, entry.balance]))
  const member = await memberDoc(memberId)
  for (const [id, entry] of Object.entries(member.outbox ?? {})) byId.set(id, entry.balance)
  expect([...byId.values()].reduce((sum, value) => sum + value, 0)).toBe(member.balance)
  expect(member.balance).toBeGreaterThanOrEqual(0)
}

async function topup(member: TestMember, amount: number) {
  return member.caller.ok('payment', 'createTopup', { amount, requestId: requestId() })
}

describe('payment.topupOptions', () => {
  test('presets from the storedValue config, each with the bonus of the highest rule it reaches, and the limits', async () => {
    const { caller } = await newMember()
    expect(await caller.ok('payment', 'topupOptions', {})).toEqual({
      options: [
        { amount: 10_000, bonus: 0 },
        { amount: 50_000, bonus: 5_000 },
        { amount: 100_000, bonus: 15_000 },
        { amount: 200_000, bonus: 40_000 },
      ],
      minAmount: 1000,
      maxAmount: 5_000_000,
    })
  })
})

describe('payment.createTopup → WeChat Pay notification', () => {
  test('full flow: the unified order is recorded, SUCCESS credits amount + bonus in one ledger entry and marks the order paid', async () => {
    const member = await newMember()
    const created = await topup(member, 50_000)
    expect(created).toMatchObject({ amount: 50_000, bonus: 5_000 })
    expect(created.payment.package).toMatch(/^prepay_id=wx\d{30}$/)
    expect(created.payment).toEqual({
      timeStamp: expect.stringMatching(/^\d{10}$/),
      nonceStr: expect.any(String),
      package: expect.any(String),
      signType: 'MD5',
      paySign: expect.stringMatching(/^[0-9A-F]{32}$/),
    })
    const [recorded] = (await payOrders()).filter((order) => order.outTradeNo === created.orderId)
    expect(recorded).toMatchObject({ totalFee: 50_000, openid: member.openid, functionName: 'payment', subMchId: '1900000109', calls: 1 })
    expect(await member.caller.ok('payment', 'topupStatus', { orderId: created.orderId })).toEqual({ orderId: created.orderId, status: 'created', amount: 50_000, bonus: 5_000, balanceAfter: null })
    expect((await memberDoc(member.memberId)).balance).toBe(0)

    const answers = await notify(created.orderId, 'SUCCESS')
    expect(answers.map(acked)).toEqual([true])
    expect((await memberDoc(member.memberId)).balance).toBe(55_000)
    const entries = await topupEntries(member.memberId)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ _id: topupEntryId(created.orderId), balance: 55_000, points: 0, detail: { amount: 50_000, bonus: 5_000, channel: 'wechat' } })
    expect(await member.caller.ok('payment', 'topupStatus', { orderId: created.orderId })).toEqual({ orderId: created.orderId, status: 'paid', amount: 50_000, bonus: 5_000, balanceAfter: 55_000 })
    await expectBalanceInvariant(member.memberId)
  })

  test('a retry of createTopup with the same requestId returns the same order without a second unified order, even naming another amount', async () => {
    const member = await newMember()
    const id = requestId()
    const first = await member.caller.ok('payment', 'createTopup', { amount: 10_000, requestId: id })
    const again = await member.caller.ok('payment', 'createTopup', { amount: 10_000, requestId: id })
    expect(again).toEqual(first)
    expect((await payOrders()).find((order) => order.outTradeNo === first.orderId)?.calls).toBe(1)
    expect(await member.caller.call('payment', 'createTopup', { amount: 20_000, requestId: id })).toMatchObject({ ok: true, data: first })
    expect((await payOrders()).find((order) => order.outTradeNo === first.orderId)?.calls).toBe(1)
    expect((await db().collection('payment_orders').where({ memberId: member.memberId }).count()).total).toBe(1)
  })

  test('10 concurrent createTopup retries make one order', async () => {
    const member = await newMember()
    const id = requestId()
    const answers = await Promise.all(Array.from({ length: 10 }, () => member.caller.ok('payment', 'createTopup', { amount: 10_000, requestId: id })))
    expect(new Set(answers.map((answer) => answer.orderId)).size).toBe(1)
    expect((await db().collection('payment_orders').where({ memberId: member.memberId }).count()).total).toBe(1)
  })

  test('amounts outside the limits or not whole fen are INVALID_ARGUMENT on amount, and nothing is written', async () => {
    const member = await newMember()
    for (const amount of [999, 5_000_001, 1000.5, 0]) {
      const answer = await member.caller.call('payment', 'createTopup', { amount, requestId: requestId() })
      expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'amount' }] } })
    }
    expect((await db().collection('payment_orders').where({ memberId: member.memberId }).count()).total).toBe(0)
    expect((await payOrders()).some((order) => order.openid === member.openid)).toBe(false)
  })

  test('no WeChat user is UNAUTHENTICATED; a visitor who has not joined is NOT_FOUND', async () => {
    expect(await callerFor(emulator.adminUrl, null).call('payment', 'createTopup', { amount: 10_000, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect(await callerFor(emulator.adminUrl, newOpenid()).call('payment', 'createTopup', { amount: 10_000, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  test('duplicate notifications credit once: 5 in a row, then 5 at once, then 5 concurrent deliveries', async () => {
    const member = await newMember()
    const { orderId } = await topup(member, 100_000)
    expect((await notify(orderId, 'SUCCESS', { times: 5 })).every(acked)).toBe(true)
    expect((await notify(orderId, 'SUCCESS', { times: 5, concurrent: true })).every(acked)).toBe(true)
    const deliveries = await Promise.all(Array.from({ length: 5 }, () => notify(orderId, 'SUCCESS')))
    expect(deliveries.flat().every(acked)).toBe(true)
    expect((await memberDoc(member.memberId)).balance).toBe(115_000)
    expect(await topupEntries(member.memberId)).toHaveLength(1)
    expect((await orderDoc(orderId))?.status).toBe('paid')
    await expectBalanceInvariant(member.memberId)
  })

  test('a fresh order notified 5 times concurrently from the start credits once', async () => {
    const member = await newMember()
    const { orderId } = await topup(member, 200_000)
    const answers = await notify(orderId, 'SUCCESS', { times: 5, concurrent: true })
    expect(answers.every(acked)).toBe(true)
    expect((await memberDoc(member.memberId)).balance).toBe(240_000)
    expect(await topupEntries(member.memberId)).toHaveLength(1)
    expect((await orderDoc(orderId))?.balanceAfter).toBe(240_000)
    await expectBalanceInvariant(member.memberId)
  })

  test('FAIL marks the order failed and credits nothing; a late FAIL after success changes nothing', async () => {
    const member = await newMember()
    const failed = await topup(member, 10_000)
    expect((await notify(failed.orderId, 'FAIL')).every(acked)).toBe(true)
    expect(await member.caller.ok('payment', 'topupStatus', { orderId: failed.orderId })).toMatchObject({ status: 'failed', balanceAfter: null })
    expect((await memberDoc(member.memberId)).balance).toBe(0)
    expect(await topupEntries(member.memberId)).toHaveLength(0)

    const paid = await topup(member, 10_000)
    await notify(paid.orderId, 'SUCCESS')
    await notify(paid.orderId, 'FAIL')
    expect((await orderDoc(paid.orderId))?.status).toBe('paid')
    expect((await memberDoc(member.memberId)).balance).toBe(10_000)
  })

  test('a SUCCESS after a FAIL still credits, once (the money was taken)', async () => {
    const member = await newMember()
    const { orderId } = await topup(member, 50_000)
    await notify(orderId, 'FAIL')
    expect((await notify(orderId, 'SUCCESS', { times: 3 })).every(acked)).toBe(true)
    expect((await orderDoc(orderId))?.status).toBe('paid')
    expect((await memberDoc(member.memberId)).balance).toBe(55_000)
    expect(await topupEntries(member.memberId)).toHaveLength(1)
  })

  test('a notification whose amount is not the order’s is refused and has no effect', async () => {
    const member = await newMember()
    const { orderId } = await topup(member, 50_000)
    const [answer] = await notify(orderId, 'SUCCESS', { totalFee: 5_000_000 })
    expect(acked(answer)).toBe(false)
    expect((await orderDoc(orderId))?.status).toBe('created')
    expect((await memberDoc(member.memberId)).balance).toBe(0)
    expect(await topupEntries(member.memberId)).toHaveLength(0)
  })

  test('a notification-shaped event sent by a mini-program user (even the payer) has no effect', async () => {
    const member = await newMember()
    const { orderId } = await topup(member, 50_000)
    const forged = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: orderId, totalFee: 50_000, subMchId: '1900000109', transactionId: '4200000000000000000000000000' }
    for (const openid of [member.openid, newOpenid('forger')]) {
      const answer = await callerFor(emulator.adminUrl, openid).raw('payment', forged)
      expect(answer).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
    }
    expect((await orderDoc(orderId))?.status).toBe('created')
    expect((await memberDoc(member.memberId)).balance).toBe(0)
    expect(await topupEntries(member.memberId)).toHaveLength(0)
  })

  test("topupStatus of someone else's order looks like a missing one (NOT_FOUND)", async () => {
    const owner = await newMember()
    const other = await newMember()
    const { orderId } = await topup(owner, 10_000)
    expect(await other.caller.call('payment', 'topupStatus', { orderId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await other.caller.call('payment', 'topupStatus', { orderId: 'tp_no_such_order' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await callerFor(emulator.adminUrl, null).call('payment', 'topupStatus', { orderId })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
  })

  test('a card lost after paying still receives the money; a lost card cannot start a new top-up', async () => {
    const member = await newMember()
    const { orderId } = await topup(member, 10_000)
    await member.caller.ok('member', 'reportLoss', { requestId: requestId() })
    expect(await member.caller.call('payment', 'createTopup', { amount: 10_000, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect((await notify(orderId, 'SUCCESS')).every(acked)).toBe(true)
    expect((await memberDoc(member.memberId)).balance).toBe(10_000)
    expect((await orderDoc(orderId))?.status).toBe('paid')
  })

  test('a crash at any point of handling the notification credits at most once, and a re-sent notification completes the order exactly once', async () => {
    let sawCreditedButUnpaid = false
    // the notification makes 5 database calls (order, ledger, credit, copy to ledger, mark paid): crash after each of the first 4
    for (let afterCalls = 0; afterCalls <= 4; afterCalls++) {
      const member = await newMember(`crash${afterCalls}`)
      const { orderId } = await topup(member, 50_000) // also warms the payment instance's configuration
      await planCrash(emulator.url, { functionName: 'payment', afterCalls })
      const [crashed] = await notify(orderId, 'SUCCESS')
      expect(acked(crashed)).toBe(false)
      const between = await memberDoc(member.memberId)
      expect([0, 55_000]).toContain(between.balance)
      if (between.balance === 55_000 && (await orderDoc(orderId))?.status === 'created') sawCreditedButUnpaid = true

      expect((await notify(orderId, 'SUCCESS', { times: 2 })).every(acked)).toBe(true)
      expect((await memberDoc(member.memberId)).balance).toBe(55_000)
      expect(await topupEntries(member.memberId)).toHaveLength(1)
      expect(await orderDoc(orderId)).toMatchObject({ status: 'paid', balanceAfter: 55_000 })
      await expectBalanceInvariant(member.memberId)
    }
    expect(sawCreditedButUnpaid).toBe(true)
  })

  test('invariant after many top-ups, duplicates and failures: balance = Σ balance of the member’s entries', async () => {
    const member = await newMember()
    const amounts = [1000, 50_000, 99_999, 100_000, 200_000]
    const orders = await Promise.all(amounts.map((amount) => topup(member, amount)))
    await Promise.all(orders.map((order, i) => notify(order.orderId, i === 2 ? 'FAIL' : 'SUCCESS', { times: 3, concurrent: true })))
    expect((await memberDoc(member.memberId)).balance).toBe(1000 + 55_000 + 115_000 + 240_000)
    await expectBalanceInvariant(member.memberId)
  })
})

describe('H5 dev build: the simulated 微信支付 sheet (/h5/pay/confirm)', () => {
  async function login(persona: string): Promise<string> {
    const { body } = await post('/h5/login', { persona })
    return body.token as string
  }

  test("only the order's own member can complete it; the session's confirm credits once", async () => {
    const demo = callerFor(emulator.adminUrl, DEMO_MEMBER_OPENID)
    const before = (await demo.ok('member', 'profile', {})).member.balance
    const { orderId } = await demo.ok('payment', 'createTopup', { amount: 10_000, requestId: requestId() })

    expect((await post('/h5/pay/confirm', { orderId, result: 'SUCCESS' })).status).toBe(401)
    const visitor = await login('visitor')
    expect((await post('/h5/pay/confirm', { orderId, result: 'SUCCESS' }, { authorization: `Bearer ${visitor}` })).status).toBe(404)
    expect((await demo.ok('payment', 'topupStatus', { orderId })).status).toBe('created')

    const own = await login('member')
    const confirmed = await post('/h5/pay/confirm', { orderId, result: 'SUCCESS' }, { authorization: `Bearer ${own}` })
    expect(confirmed.status).toBe(200)
    expect(acked(confirmed.body.answer as NotifyAnswer)).toBe(true)
    expect(await demo.ok('payment', 'topupStatus', { orderId })).toMatchObject({ status: 'paid', balanceAfter: before + 10_000 })
    await post('/h5/pay/confirm', { orderId, result: 'SUCCESS' }, { authorization: `Bearer ${own}` })
    expect((await demo.ok('member', 'profile', {})).member.balance).toBe(before + 10_000)
  })
})
