/**
 * Out-of-range numbers through the real API: INVALID_ARGUMENT naming the field, and nothing
 * changes (the reported cases: adjustPoints 1e308 and 2^53 + 2, bulkGrant huge points, ledger
 * and balanceLedger with a huge `before`). The whole contract is walked in tests/domain/contract-bounds.
 */
import { expectInvariants, joinMember, MANAGER_OPENID, memberDoc, requestId, scan } from '../support/counter'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor } from '../support/functions'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
})
afterAll(() => emulator?.stop())

const manager = () => callerFor(url, MANAGER_OPENID)
const consoleCaller = () => callerFor(url, null)

async function ledgerCount(memberId: string): Promise<number> {
  return (await adminApp(url).database().collection('ledger').where({ memberId }).count()).total
}

async function snapshot(memberId: string) {
  const { points, pointsOwed, balance, growth } = await memberDoc(url, memberId)
  return { points, pointsOwed, balance, growth, outbox: Object.keys((await memberDoc(url, memberId)).outbox ?? {}).sort(), ledger: await ledgerCount(memberId) }
}

describe('staff.adjustPoints', () => {
  test.each([
    ['1e308', 1e308],
    ['2^53 + 2', 2 ** 53 + 2],
    ['-(2^53 + 2)', -(2 ** 53 + 2)],
    ['10,000,001', 10_000_001],
  ])('points = %s answers INVALID_ARGUMENT naming points; nothing changes', async (_label, points) => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member, MANAGER_OPENID)
    const before = await snapshot(member.memberId)
    const answer = await manager().call('staff', 'adjustPoints', { counterToken, points, reason: '边界测试', requestId: requestId() })
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'points' }] } })
    expect(await snapshot(member.memberId)).toEqual(before)
    await expectInvariants(url, member.memberId)
  })

  test('the brand’s cap per adjustment (pointRules.adjustment.maxPoints, 5000 in the demo) works either way; one point more is refused and changes nothing', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member, MANAGER_OPENID)
    expect((await manager().ok('staff', 'me', {})).adjustPointsMax).toBe(5000)
    const before = await snapshot(member.memberId)
    for (const points of [5001, -5001]) {
      expect(await manager().call('staff', 'adjustPoints', { counterToken, points, reason: '边界测试', requestId: requestId() })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', reason: 'ADJUSTMENT_TOO_LARGE', message: '单次调整不能超过 5000 积分', fields: [{ path: 'points' }] },
      })
    }
    expect(await snapshot(member.memberId)).toEqual(before)
    expect((await manager().ok('staff', 'adjustPoints', { counterToken, points: 5000, reason: '边界测试', requestId: requestId() })).pointsAfter).toBe(100 + 5000)
    expect((await manager().ok('staff', 'adjustPoints', { counterToken, points: -5000, reason: '边界测试', requestId: requestId() })).pointsAfter).toBe(100)
    await expectInvariants(url, member.memberId)
  })
})

describe('admin.bulkGrant', () => {
  test.each([
    ['10,000,001', 10_000_001],
    ['2^53 + 2', 2 ** 53 + 2],
    ['1e308', 1e308],
  ])('points = %s answers INVALID_ARGUMENT naming points; nobody is granted anything', async (_label, points) => {
    const member = await joinMember(url)
    const before = await snapshot(member.memberId)
    const answer = await consoleCaller().call('admin', 'bulkGrant', { batchId: `bounds-${Math.random().toString(36).slice(2, 10)}`, memberIds: [member.memberId], points, reason: '边界测试' })
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'points' }] } })
    expect(await snapshot(member.memberId)).toEqual(before)
  })
})

describe('loyalty ledgers', () => {
  test.each(['ledger', 'balanceLedger'] as const)('%s with before = 1e20 answers INVALID_ARGUMENT naming before (not INTERNAL)', async (action) => {
    const member = await joinMember(url)
    const before = await snapshot(member.memberId)
    for (const value of [1e20, 8.64e15 + 1, Number.MAX_SAFE_INTEGER]) {
      expect(await member.caller.call('loyalty', action, { before: value })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'before' }] } })
    }
    expect(await snapshot(member.memberId)).toEqual(before)
    expect((await member.caller.ok('loyalty', action, { before: Date.now() + 1000 })).entries.length).toBeGreaterThan(action === 'ledger' ? 0 : -1)
  })
})

describe('admin.runPointsExpiry', () => {
  test('asOf = 1e20 answers INVALID_ARGUMENT naming asOf', async () => {
    expect(await consoleCaller().call('admin', 'runPointsExpiry', { asOf: 1e20 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'asOf' }] } })
  })
})
