/**
 * 支付密码 through the real SDK and the emulator: online payments from stored value above the
 * brand's amount (¥200 in the demo) need it; it is kept as a salted scrypt hash; wrong attempts are
 * counted on the server before comparing, so a burst of guesses gets no more than the limit (5),
 * after which it is locked until a store resets it after checking the phone. Money moves once or
 * not at all, and a refused payment leaves the balance and the ledger as they were.
 */
import { MANAGER_OPENID } from '../support/counter'
import { expectInvariants } from '../support/counter'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { AT_STORE, adminApp, callerFor, requestId } from '../support/functions'
import { importEntry, insertMembers } from '../support/members'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const MIN = 60_000
const db = () => adminApp(emulator.adminUrl).database()

async function memberWithBalance(balance = 100_000, points = 0) {
  const [made] = await insertMembers(emulator.adminUrl, 1, { label: 'paypw', opening: (memberId) => [importEntry(memberId, { balance, points })] })
  await db().collection('members').doc(made.memberId).update({ phone: '13900001111' })
  return { ...made, caller: callerFor(emulator.adminUrl, made.openid) }
}

let saleSequence = 0
async function saleAt(price: number): Promise<string> {
  const _id = `fs-pw-${++saleSequence}`
  const now = Date.now()
  await db()
    .collection('flash_sales')
    .add({
      _id,
      title: '密码测试',
      image: null,
      price,
      listPrice: price,
      stock: 100,
      sold: 0,
      perMemberLimit: 10,
      startAt: new Date(now - MIN),
      endAt: new Date(now + 60 * MIN),
      fulfilment: ['pickup'],
    })
  return _id
}

async function balanceOf(memberId: string): Promise<number> {
  return ((await db().collection('members').doc(memberId).get()).data[0] as { balance: number }).balance
}

async function unpaidOrder(member: Awaited<ReturnType<typeof memberWithBalance>>, price: number) {
  return (await member.caller.ok('promo', 'flashBuy', { saleId: await saleAt(price), fulfilment: AT_STORE, requestId: requestId() })).order
}

const pay = (member: Awaited<ReturnType<typeof memberWithBalance>>, orderId: string, payPassword?: string) =>
  member.caller.call('order', 'pay', { orderId, method: 'balance', requestId: requestId(), ...(payPassword ? { payPassword } : {}) })

test('setting it: six digits, not repeated or in a straight run; only a salted hash is kept; changing it needs the current one', async () => {
  const member = await memberWithBalance()
  for (const [password, reason] of [
    ['12345', 'PAY_PASSWORD_INVALID'],
    ['111111', 'PAY_PASSWORD_WEAK'],
    ['123456', 'PAY_PASSWORD_WEAK'],
    ['987654', 'PAY_PASSWORD_WEAK'],
  ] as const) {
    expect(await member.caller.call('member', 'setPayPassword', { password })).toMatchObject({ ok: false, error: { reason } })
  }
  expect((await member.caller.ok('member', 'profile', {})).profile.payPassword).toEqual({ state: 'unset', requiredAbove: 20000 })
  expect((await member.caller.ok('member', 'setPayPassword', { password: '271828' })).profile.payPassword.state).toBe('set')
  const stored = ((await db().collection('members').doc(member.memberId).get()).data[0] as { payPassword: { hash: string; salt: string; failures: number } }).payPassword
  expect(stored.hash).toMatch(/^[0-9a-f]{64}$/)
  expect(stored.salt).toMatch(/^[0-9a-f]{32}$/)
  expect(JSON.stringify(stored)).not.toContain('271828')
  expect(JSON.stringify(await member.caller.ok('member', 'profile', {}))).not.toContain(stored.hash)

  expect(await member.caller.call('member', 'setPayPassword', { password: '314159' })).toMatchObject({ ok: false, error: { reason: 'PAY_PASSWORD_REQUIRED' } })
  expect(await member.caller.call('member', 'setPayPassword', { password: '314159', currentPassword: '000001' })).toMatchObject({ ok: false, error: { reason: 'PAY_PASSWORD_WRONG' } })
  await member.caller.ok('member', 'setPayPassword', { password: '314159', currentPassword: '271828' })
  const order = await unpaidOrder(member, 30000)
  expect(await pay(member, order.orderId, '271828')).toMatchObject({ ok: false, error: { reason: 'PAY_PASSWORD_WRONG' } })
  expect(await pay(member, order.orderId, '314159')).toMatchObject({ ok: true, data: { order: { status: 'paid' } } })
})

test('above ¥200 a stored-value payment needs the right password; without one, or a wrong one, nothing is taken; at or below ¥200 none is asked', async () => {
  const member = await memberWithBalance()
  const small = await unpaidOrder(member, 20000)
  expect(await pay(member, small.orderId)).toMatchObject({ ok: true, data: { order: { status: 'paid' } } })
  expect(await balanceOf(member.memberId)).toBe(80_000)

  const big = await unpaidOrder(member, 30000)
  expect(await pay(member, big.orderId)).toMatchObject({ ok: false, error: { reason: 'PAY_PASSWORD_NOT_SET', message: '请先在个人资料中设置支付密码' } })
  await member.caller.ok('member', 'setPayPassword', { password: '271828' })
  expect(await pay(member, big.orderId)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', reason: 'PAY_PASSWORD_REQUIRED', fields: [{ path: 'payPassword' }] } })
  expect(await pay(member, big.orderId, '000001')).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED', reason: 'PAY_PASSWORD_WRONG', message: '支付密码错误，还可尝试 4 次' } })
  expect(await balanceOf(member.memberId)).toBe(80_000)
  expect(await pay(member, big.orderId, '271828')).toMatchObject({ ok: true, data: { order: { status: 'paid', payMethod: 'balance' } } })
  expect(await balanceOf(member.memberId)).toBe(50_000)
  // the right one clears the count
  expect(((await db().collection('members').doc(member.memberId).get()).data[0] as { payPassword: { failures: number } }).payPassword.failures).toBe(0)
  await expectInvariants(emulator.adminUrl, member.memberId)
})

test('a burst of 12 wrong guesses at once: at most 5 are compared, then it is locked — the right one too — until a store resets it after the phone check', async () => {
  const member = await memberWithBalance()
  await member.caller.ok('member', 'setPayPassword', { password: '271828' })
  const order = await unpaidOrder(member, 30000)
  const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => pay(member, order.orderId, String(100000 + i * 7))))
  const reasons = guesses.map((answer) => (answer.ok ? 'paid' : answer.error.reason))
  expect(reasons.filter((reason) => reason === 'PAY_PASSWORD_WRONG').length).toBeLessThanOrEqual(4)
  expect(reasons.filter((reason) => reason === 'PAY_PASSWORD_LOCKED').length).toBeGreaterThanOrEqual(8)
  expect(await pay(member, order.orderId, '271828')).toMatchObject({ ok: false, error: { reason: 'PAY_PASSWORD_LOCKED', message: '支付密码错误次数过多，已锁定；请到门店核验手机号后重置' } })
  expect((await member.caller.ok('member', 'profile', {})).profile.payPassword.state).toBe('locked')
  expect(await balanceOf(member.memberId)).toBe(100_000)

  const manager = callerFor(emulator.adminUrl, MANAGER_OPENID)
  const memberNo = ((await db().collection('members').doc(member.memberId).get()).data[0] as { memberNo: string }).memberNo
  expect(await manager.call('staff', 'cardService', { memberNo, phone: '13900009999', action: 'resetPayPassword', requestId: requestId() })).toMatchObject({
    ok: false,
    error: { reason: 'PHONE_MISMATCH' },
  })
  expect(await manager.ok('staff', 'cardService', { memberNo, phone: '13900001111', action: 'resetPayPassword', requestId: requestId() })).toMatchObject({ status: 'active' })
  expect((await member.caller.ok('member', 'profile', {})).profile.payPassword.state).toBe('unset')
  await member.caller.ok('member', 'setPayPassword', { password: '161803' })
  expect(await pay(member, order.orderId, '161803')).toMatchObject({ ok: true, data: { order: { status: 'paid' } } })
  expect(await balanceOf(member.memberId)).toBe(70_000)
  await expectInvariants(emulator.adminUrl, member.memberId)
})

test('starting a group by stored value above ¥200 without the password takes nothing: no unit, no seat, no order in the member’s list', async () => {
  const member = await memberWithBalance()
  await member.caller.ok('member', 'setPayPassword', { password: '271828' })
  const campaignId = `gb-pw-${Date.now()}`
  await db()
    .collection('group_campaigns')
    .add({
      _id: campaignId,
      title: '高价团',
      image: null,
      groupPrice: 30000,
      listPrice: 40000,
      groupSize: 2,
      timeLimitMinutes: 60,
      stock: 10,
      sold: 0,
      endAt: new Date(Date.now() + 60 * MIN),
      fulfilment: ['pickup'],
    })
  const refused = await member.caller.call('promo', 'startGroup', { campaignId, fulfilment: AT_STORE, payMethod: 'balance', requestId: requestId() })
  expect(refused).toMatchObject({ ok: false, error: { reason: 'PAY_PASSWORD_REQUIRED' } })
  expect(((await db().collection('group_campaigns').doc(campaignId).get()).data[0] as { stock: number }).stock).toBe(10)
  expect((await member.caller.ok('order', 'list', {})).orders).toEqual([])
  const started = await member.caller.ok('promo', 'startGroup', { campaignId, fulfilment: AT_STORE, payMethod: 'balance', payPassword: '271828', requestId: requestId() })
  expect(started.order).toMatchObject({ status: 'paid', amount: 30000 })
  expect(await balanceOf(member.memberId)).toBe(70_000)
  await expectInvariants(emulator.adminUrl, member.memberId)
})

test('a points + cash exchange from stored value refused for the password takes neither points nor money: no ledger entry at all', async () => {
  const member = await memberWithBalance(100_000, 1000)
  await member.caller.ok('member', 'setPayPassword', { password: '271828' })
  const productId = `p-pw-${Date.now()}`
  await db()
    .collection('products')
    .add({
      _id: productId,
      name: '高价礼盒',
      kind: 'goods',
      category: '礼盒',
      image: null,
      description: '',
      points: 100,
      amount: 30000,
      stock: 5,
      sold: 0,
      perMemberLimit: 5,
      visibleTiers: [],
      onShelf: true,
      pinned: false,
      fulfilment: ['pickup'],
      holds: [],
    })
  const answer = await member.caller.call('mall', 'exchange', { productId, quantity: 1, fulfilment: AT_STORE, payMethod: 'balance', payPassword: '000001', requestId: requestId() })
  expect(answer).toMatchObject({ ok: false, error: { reason: 'PAY_PASSWORD_WRONG' } })
  const { data } = await db()
    .collection('ledger')
    .where({ memberId: member.memberId, kind: db().command.in(['order', 'order-refund']) })
    .get()
  expect(data).toEqual([])
  expect(await balanceOf(member.memberId)).toBe(100_000)
  const paid = await member.caller.ok('mall', 'exchange', { productId, quantity: 1, fulfilment: AT_STORE, payMethod: 'balance', payPassword: '271828', requestId: requestId() })
  expect(paid.order).toMatchObject({ status: 'paid', points: 100, amount: 30000 })
  expect(await balanceOf(member.memberId)).toBe(70_000)
  await expectInvariants(emulator.adminUrl, member.memberId)
})
