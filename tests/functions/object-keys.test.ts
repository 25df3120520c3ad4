/**
 * Configuration maps are looked up by their own keys only: a store whose id is a key of every
 * object (`constructor`, `toString`, `__proto__` …) earns at the brand's base rate, not at
 * `Object.prototype.constructor`.
 */
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor } from '../support/functions'
import { expectInvariants, joinMember, requestId, scan } from '../support/counter'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
})
afterAll(() => emulator?.stop())

describe('storeRates is looked up by own keys only', () => {
  test.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'])('a purchase by a clerk of store %s earns the base rate (1 point per yuan)', async (storeId) => {
    const openid = `o_test_store_${storeId}_${process.pid}`
    await adminApp(url)
      .database()
      .collection('staff')
      .add({ _id: `st-${storeId}-${process.pid}`, openid, name: '测试店员', role: 'clerk', storeId, channelId: null })
    const member = await joinMember(url)
    const counterToken = await scan(url, member, openid)
    const answer = await callerFor(url, openid).call('staff', 'recordPurchase', { counterToken, amount: 10000, payMethod: 'cash', requestId: requestId() })
    expect(answer).toMatchObject({ ok: true, data: { receipt: { payable: 10000, pointsEarned: 100 } } })
    await expectInvariants(url, member.memberId)
  })
})
