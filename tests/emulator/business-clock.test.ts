/**
 * The emulator's business clock (`/emulator/clock`) and the parts of the emulator that keep its
 * time: the database's serverDate(), WeChat Pay (unified orders, payment parameters, payment
 * notifications, refunds) and the recorded open-API calls. Through the real SDK.
 */
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { callerFor, moveClock, newOpenid, requestId } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const SLACK_MS = 5_000
/** `value` is the clock's time set at `at`, give or take the real time the test took since. */
function expectAtClock(value: number, at: number) {
  expect(value).toBeGreaterThanOrEqual(at - 1_000) // whole seconds (timeStamp) round down
  expect(value).toBeLessThan(at + SLACK_MS)
}

async function clockView() {
  return (await (await fetch(`${emulator.url}/emulator/clock`)).json()) as { now: string; nowMs: number; offsetMs: number }
}

async function postClock(body: unknown) {
  return fetch(`${emulator.url}/emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
}

describe('/emulator/clock', () => {
  test('set (ms or ISO), advanceMs and reset move the business now; anything else is refused with 400', async () => {
    const at = Date.parse('2034-07-01T08:00:00+08:00')
    expectAtClock(await moveClock(emulator.url, { set: at }), at)
    expectAtClock((await clockView()).nowMs, at)
    expectAtClock(await moveClock(emulator.url, { set: '2034-07-02T08:00:00+08:00' }), at + 86_400_000)
    expectAtClock(await moveClock(emulator.url, { advanceMs: 3_600_000 }), at + 86_400_000 + 3_600_000)
    await moveClock(emulator.url, { reset: true })
    expect((await clockView()).offsetMs).toBe(0)
    for (const body of [{}, { set: 'not a date' }, { set: Date.now() + 300 * 365 * 86_400_000 }, { advanceMs: 'soon' }]) {
      expect((await postClock(body)).status).toBe(400)
    }
    expect((await clockView()).offsetMs).toBe(0)
  })
})

describe('the emulated platform keeps the business clock', () => {
  afterAll(() => moveClock(emulator.url, { reset: true }))

  test("db.serverDate() is the clock's time", async () => {
    const at = await moveClock(emulator.url, { set: Date.parse('2035-03-01T12:00:00+08:00') })
    const db = emulator.app().database()
    await db.collection('clock_dates').add({ _id: 'd1', at: db.serverDate(), later: db.serverDate({ offset: 60_000 }) })
    const { data } = await db.collection('clock_dates').doc('d1').get()
    const stored = data[0] as { at: Date; later: Date }
    expectAtClock(new Date(stored.at).getTime(), at)
    expect(new Date(stored.later).getTime() - new Date(stored.at).getTime()).toBe(60_000)
  })

  test("WeChat Pay's unified order and payment parameters, and the recorded open-API calls, carry the clock's time", async () => {
    const at = await moveClock(emulator.url, { set: Date.parse('2035-03-02T09:30:00+08:00') })
    const member = callerFor(emulator.adminUrl, newOpenid('clock'))
    await member.ok('member', 'join', {})
    const topup = await member.ok('payment', 'createTopup', { amount: 10000, requestId: requestId() })
    expectAtClock(Number(topup.payment.timeStamp) * 1000, at)
    const { orders } = (await (await fetch(`${emulator.url}/emulator/pay/orders`)).json()) as { orders: { outTradeNo: string; at: number }[] }
    const order = orders.find((candidate) => candidate.outTradeNo === topup.orderId)
    if (!order) throw new Error('the top-up made a unified order')
    expectAtClock(order.at, at)

    await member.ok('member', 'bindPhone', { code: `clock-${Date.now()}` })
    const { calls } = (await (await fetch(`${emulator.url}/emulator/wechat-calls`)).json()) as { calls: { apiName: string; at: number }[] }
    const phone = calls.filter((call) => /phone/i.test(call.apiName)).at(-1)
    if (!phone) throw new Error('binding the phone called the phone-number API')
    expectAtClock(phone.at, at)
  })
})
