import { DEMO_CLERK_OPENID, DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { expectInvariants, joinMember, MANAGER_OPENID, memberDoc, requestId, scan, XUHUI_CLERK_OPENID } from '../support/counter'
import { adminApp, callerFor, invocations, moveClock, planCrash } from '../support/functions'
import { addCouponTemplate } from '../support/coupons'
import { sweepNow } from '../support/clock'
import { STRANDED_AFTER_MS } from '../../backend/loyalty/stranded-coupons'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
})
afterAll(() => emulator?.stop())

const clerk = () => callerFor(url, DEMO_CLERK_OPENID)
const manager = () => callerFor(url, MANAGER_OPENID)

describe('recording a purchase at the counter', () => {
  test('a gold member pays the 95% tier price and earns points ×1.2 and growth, in one receipt', async () => {
    const demo = { openid: DEMO_MEMBER_OPENID, memberId: '', memberNo: '10000001', caller: callerFor(url, DEMO_MEMBER_OPENID) }
    const counterToken = await scan(url, demo)
    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 19900, payMethod: 'cash', requestId: requestId() })
    expect(receipt).toMatchObject({
      listAmount: 19900,
      discountPercent: 95,
      discount: 995,
      payable: 18905,
      payMethod: 'cash',
      pointsEarned: 226, // ⌊189.05 × 1 × 1.2⌋
      growthEarned: 189,
      pointsAfter: 1280 + 226,
      balanceAfter: 0,
      storeName: '上海静安嘉里中心店',
      staffName: '李晓梅',
      tierBefore: '金卡会员',
    })
    const member = (await demo.caller.ok('member', 'profile', {})).member
    expect(member.points).toBe(1506)
    await expectInvariants(url, member.memberId)
  })

  test('a store with its own rate earns at that rate', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member, XUHUI_CLERK_OPENID)
    const { receipt } = await callerFor(url, XUHUI_CLERK_OPENID).ok('staff', 'recordPurchase', { counterToken, amount: 5000, payMethod: 'wechat', requestId: requestId() })
    expect(receipt).toMatchObject({ payable: 5000, pointsEarned: 100, growthEarned: 50, storeName: '上海徐汇港汇恒隆店' })
  })

  test('a retried purchase with the same request id returns the first receipt and records nothing new', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    const input = { counterToken, amount: 12345, payMethod: 'cash' as const, requestId: requestId() }
    const [first, second] = [await clerk().ok('staff', 'recordPurchase', input), await clerk().ok('staff', 'recordPurchase', input)]
    expect(second).toEqual(first)
    expect((await memberDoc(url, member.memberId)).points).toBe(100 + 123)
    const { total } = await adminApp(url).database().collection('ledger').where({ memberId: member.memberId, kind: 'purchase' }).count()
    expect(total).toBe(1)
  })

  test('crossing a tier threshold upgrades the member at once and records why', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 120000, payMethod: 'cash', requestId: requestId() })
    expect(receipt).toMatchObject({ tierBefore: '银卡会员', tierAfter: '金卡会员', growthEarned: 1200 })
    const doc = (await adminApp(url).database().collection('members').doc(member.memberId).get()).data[0] as { tierHistory: { reason: string; to: string }[] }
    expect(doc.tierHistory.map((change) => [change.reason, change.to])).toEqual([
      ['join', 'silver'],
      ['upgrade', 'gold'],
    ])
  })

  test('a member downgraded at the yearly review is not upgraded again by lifetime growth: tiers qualify on this year', async () => {
    const member = await joinMember(url)
    await adminApp(url).database().collection('members').doc(member.memberId).update({ growth: 3000, tierId: 'silver' })
    const counterToken = await scan(url, member)
    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 1000, payMethod: 'cash', requestId: requestId() })
    expect(receipt).toMatchObject({ tierBefore: '银卡会员', tierAfter: '银卡会员', growthEarned: 10 })
    const { member: view } = await member.caller.ok('member', 'profile', {})
    expect(view.tier).toMatchObject({ name: '银卡会员', nextTierName: '金卡会员', growthToNext: 990 })
  })

  test('a warm counter purchase costs at most 4 database calls', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 100, payMethod: 'cash', requestId: requestId() })
    await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 100, payMethod: 'cash', requestId: requestId() })
    const [last] = await invocations(emulator.url, { function: 'staff', openid: DEMO_CLERK_OPENID, last: 1 })
    expect(last.action).toBe('recordPurchase')
    expect(last.adminCalls).toBeLessThanOrEqual(4)
  })

  test('bad input is INVALID_ARGUMENT naming the fields, and records nothing', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    const answer = await clerk().call('staff', 'recordPurchase', { counterToken, amount: 12.5, payMethod: 'card' as never, requestId: requestId() })
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    if (!answer.ok) expect(answer.error.fields?.map((field) => field.path).sort()).toEqual(['amount', 'payMethod'])
    await expectInvariants(url, member.memberId)
    expect((await memberDoc(url, member.memberId)).points).toBe(100)
  })
})

describe('stored value at the counter', () => {
  test('a top-up of ¥500 gets the ¥50 bonus; a retry credits once', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    const input = { counterToken, amount: 50000, payMethod: 'cash' as const, requestId: requestId() }
    const first = await clerk().ok('staff', 'topup', input)
    expect(first.topup).toMatchObject({ amount: 50000, bonus: 5000, balanceAfter: 55000 })
    expect(await clerk().ok('staff', 'topup', input)).toEqual(first)
    expect((await memberDoc(url, member.memberId)).balance).toBe(55000)
    await expectInvariants(url, member.memberId)
  })

  test('paying by balance debits the payable amount; without enough balance it is refused and nothing changes', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    await clerk().ok('staff', 'topup', { counterToken, amount: 10000, payMethod: 'cash', requestId: requestId() })
    const refused = await clerk().call('staff', 'recordPurchase', { counterToken, amount: 10001, payMethod: 'balance', requestId: requestId() })
    expect(refused).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', reason: 'INSUFFICIENT_BALANCE' } })
    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 8000, payMethod: 'balance', requestId: requestId() })
    expect(receipt.balanceAfter).toBe(2000)
    await expectInvariants(url, member.memberId)
  })

  test('200 concurrent spends on a balance that covers 10: exactly 10 succeed, the rest fail with FAILED_PRECONDITION', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    await clerk().ok('staff', 'topup', { counterToken, amount: 10000, payMethod: 'cash', requestId: requestId() })
    const answers = await Promise.all(Array.from({ length: 200 }, () => clerk().call('staff', 'recordPurchase', { counterToken, amount: 1000, payMethod: 'balance', requestId: requestId() })))
    const failures = answers.filter((answer) => !answer.ok)
    expect(answers.filter((answer) => answer.ok).length).toBe(10)
    expect(failures.every((answer) => !answer.ok && answer.error.code === 'FAILED_PRECONDITION')).toBe(true)
    const doc = await memberDoc(url, member.memberId)
    expect(doc.balance).toBe(0)
    expect(doc.points).toBe(100 + 10 * 10)
    await expectInvariants(url, member.memberId)
  }, 120_000)
})

describe('refunds reverse exactly what the purchase did', () => {
  test('stored value comes back, points and growth are clawed back', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    await clerk().ok('staff', 'topup', { counterToken, amount: 20000, payMethod: 'cash', requestId: requestId() })
    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 15000, payMethod: 'balance', requestId: requestId() })
    const { refund } = await clerk().ok('staff', 'refundPurchase', { purchaseId: receipt.purchaseId, requestId: requestId() })
    expect(refund).toMatchObject({ balanceReturned: 15000, pointsClawedBack: 150, pointsOwedAdded: 0, growthClawedBack: 150, balanceAfter: 20000, pointsAfter: 100 })
    const doc = await memberDoc(url, member.memberId)
    expect(doc.growth).toBe(0)
    await expectInvariants(url, member.memberId)
  })

  test('points already spent become points owed, repaid first from future earnings; spendable points never go negative', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 10000, payMethod: 'cash', requestId: requestId() })
    const managerToken = await scan(url, member, MANAGER_OPENID)
    await manager().ok('staff', 'adjustPoints', { counterToken: managerToken, points: -180, reason: '积分兑换礼品', requestId: requestId() })
    const { refund } = await clerk().ok('staff', 'refundPurchase', { purchaseId: receipt.purchaseId, requestId: requestId() })
    expect(refund).toMatchObject({ pointsClawedBack: 100, pointsOwedAdded: 80, pointsAfter: 0, pointsOwedAfter: 80 })
    await expectInvariants(url, member.memberId)

    await member.caller.ok('loyalty', 'checkin', { requestId: requestId() })
    const doc = await memberDoc(url, member.memberId)
    expect({ points: doc.points, owed: doc.pointsOwed }).toEqual({ points: 0, owed: 70 })
    await expectInvariants(url, member.memberId)
  })

  test('a purchase is refunded once: another request is ALREADY_EXISTS, the same request gets the same answer', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 3000, payMethod: 'cash', requestId: requestId() })
    const input = { purchaseId: receipt.purchaseId, requestId: requestId() }
    const first = await clerk().ok('staff', 'refundPurchase', input)
    expect(await clerk().ok('staff', 'refundPurchase', input)).toEqual(first)
    expect(await clerk().call('staff', 'refundPurchase', { purchaseId: receipt.purchaseId, requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_EXISTS' },
    })
    await expectInvariants(url, member.memberId)
  })

  test('a clerk of another store cannot refund it', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 3000, payMethod: 'cash', requestId: requestId() })
    expect(await callerFor(url, XUHUI_CLERK_OPENID).call('staff', 'refundPurchase', { purchaseId: receipt.purchaseId, requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    })
  })
})

describe('a crash between two writes leaves no partial purchase', () => {
  test('dying before the member update changes nothing; dying after it keeps the purchase whole and the retry completes it', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    await clerk().ok('staff', 'topup', { counterToken, amount: 10000, payMethod: 'cash', requestId: requestId() })
    await clerk().ok('staff', 'me', {})

    // (the staff row is kept by the warm instance) member read and ledger read side by side, then the single atomic member update, then the ledger copy
    await planCrash(emulator.url, { functionName: 'staff', action: 'recordPurchase', afterCalls: 2 })
    const early = { counterToken, amount: 5000, payMethod: 'balance' as const, requestId: requestId() }
    expect(await clerk().call('staff', 'recordPurchase', early)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ balance: 10000, points: 100 })
    await expectInvariants(url, member.memberId)

    await planCrash(emulator.url, { functionName: 'staff', action: 'recordPurchase', afterCalls: 3 })
    const late = { counterToken, amount: 5000, payMethod: 'balance' as const, requestId: requestId() }
    expect(await clerk().call('staff', 'recordPurchase', late)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ balance: 5000, points: 150 })
    await expectInvariants(url, member.memberId)

    const retry = await clerk().ok('staff', 'recordPurchase', late)
    expect(retry.receipt).toMatchObject({ payable: 5000, balanceAfter: 5000 })
    expect(await memberDoc(url, member.memberId)).toMatchObject({ balance: 5000, points: 150 })
    const { total } = await adminApp(url).database().collection('ledger').where({ memberId: member.memberId, kind: 'purchase' }).count()
    expect(total).toBe(1)
    await expectInvariants(url, member.memberId)
  })
})

describe('a coupon left used by a purchase that died half way', () => {
  test('is given back by the minute sweep once the purchase is 30 minutes old; a coupon whose purchase exists stays used, looked at once', async () => {
    const templateId = await addCouponTemplate(url, { name: '满50减10', value: 1000, threshold: 5000, perMemberLimit: 2 })
    const member = await joinMember(url)
    const stranded = (await member.caller.ok('coupon', 'claim', { templateId, requestId: requestId() })).coupon
    const spent = (await member.caller.ok('coupon', 'claim', { templateId, requestId: requestId() })).coupon
    const counterToken = await scan(url, member)
    await clerk().ok('staff', 'me', {})

    // member and replay reads, the coupon taken (call 3); the entry never posted
    await planCrash(emulator.url, { functionName: 'staff', action: 'recordPurchase', afterCalls: 3 })
    expect(await clerk().call('staff', 'recordPurchase', { counterToken, amount: 8000, payMethod: 'cash', couponId: stranded.couponId, requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    })
    const couponDoc = async (id: string) => (await adminApp(url).database().collection('coupons').doc(id).get()).data[0] as { status: string; usedChecked?: unknown; restoredFrom?: string }
    expect(await couponDoc(stranded.couponId)).toMatchObject({ status: 'used' })
    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 8000, payMethod: 'cash', couponId: spent.couponId, requestId: requestId() })
    expect(receipt.payable).toBe(7000)

    // not yet: a purchase could still be under way within its 30 minutes
    expect((await sweepNow(url)).count('coupons-stranded', 'restored')).toBe(0)
    expect(await couponDoc(stranded.couponId)).toMatchObject({ status: 'used' })
    await moveClock(emulator.url, { advanceMs: STRANDED_AFTER_MS + 60_000 })
    try {
      const sweep = await sweepNow(url)
      expect(sweep.count('coupons-stranded', 'restored')).toBeGreaterThanOrEqual(1)
      expect(await couponDoc(stranded.couponId)).toMatchObject({ status: 'unused', restoredFrom: expect.stringMatching(/^purchase:/) })
      expect(await couponDoc(spent.couponId)).toMatchObject({ status: 'used', usedChecked: expect.anything() })
      // looked at once: the next minute selects neither
      const again = await sweepNow(url)
      expect(again.count('coupons-stranded', 'restored') + again.count('coupons-stranded', 'kept')).toBe(0)
      // the coupon given back can be used again
      const retry = await clerk().ok('staff', 'recordPurchase', { counterToken: await scan(url, member), amount: 8000, payMethod: 'cash', couponId: stranded.couponId, requestId: requestId() })
      expect(retry.receipt.payable).toBe(7000)
      expect(await couponDoc(stranded.couponId)).toMatchObject({ status: 'used' })
      expect((await couponDoc(stranded.couponId)).usedChecked).toBeUndefined()
    } finally {
      await moveClock(emulator.url, { reset: true })
    }
    await expectInvariants(url, member.memberId)
  })
})

describe('staff.quotePurchase (应收预览)', () => {
  test('previews what recordPurchase records, coupon by coupon; a coupon below its threshold says how much it needs; nothing is written', async () => {
    const small = await addCouponTemplate(url, { name: '满50减10', value: 1000, threshold: 5000 })
    const large = await addCouponTemplate(url, { name: '满300减50', value: 5000, threshold: 30000 })
    const member = await joinMember(url)
    for (const templateId of [small, large]) await member.caller.ok('coupon', 'claim', { templateId, requestId: requestId() })
    const counterToken = await scan(url, member)
    const ledgerCount = async () => (await adminApp(url).database().collection('ledger').where({ memberId: member.memberId }).count()).total

    const entriesBefore = await ledgerCount()
    const { quote } = await clerk().ok('staff', 'quotePurchase', { counterToken, amount: 20000 })
    expect(await ledgerCount()).toBe(entriesBefore)
    expect(quote).toMatchObject({ listAmount: 20000, discountPercent: 100, tierDiscount: 0, payable: 20000 })
    const byName = async (templateId: string) => {
      const { coupons } = await clerk().ok('staff', 'memberCoupons', { counterToken })
      const coupon = coupons.find((one) => one.templateId === templateId)!
      return quote.coupons.find((one) => one.couponId === coupon.couponId)!
    }
    expect(await byName(large)).toMatchObject({ applicable: false, reason: 'COUPON_BELOW_THRESHOLD', shortBy: 10000, couponDiscount: 0 })
    const usable = await byName(small)
    expect(usable).toMatchObject({ applicable: true, reason: null, shortBy: null, couponDiscount: 1000, payable: 19000 })

    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 20000, payMethod: 'cash', couponId: usable.couponId, requestId: requestId() })
    expect({ payable: receipt.payable, points: receipt.pointsEarned }).toEqual({ payable: usable.payable, points: usable.points })
    // the used coupon is no longer offered
    const after = (await clerk().ok('staff', 'quotePurchase', { counterToken, amount: 20000 })).quote
    expect(after.coupons.map((one) => one.couponId)).not.toContain(usable.couponId)
  })

  test('a clerk of another store cannot preview with this counter token', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    expect(await callerFor(url, XUHUI_CLERK_OPENID).call('staff', 'quotePurchase', { counterToken, amount: 1000 })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(await member.caller.call('staff', 'quotePurchase', { counterToken, amount: 1000 })).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
  })
})

describe('最近到店 after a refund', () => {
  test('the next scan lists the refunded sale as refunded; the refund answers the growth after it', async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    const { receipt } = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 8000, payMethod: 'cash', requestId: requestId() })
    const kept = await clerk().ok('staff', 'recordPurchase', { counterToken, amount: 3000, payMethod: 'cash', requestId: requestId() })
    const { refund } = await clerk().ok('staff', 'refundPurchase', { purchaseId: receipt.purchaseId, requestId: requestId() })
    expect(refund.growthAfter).toBe((await memberDoc(url, member.memberId)).growth)
    const { code } = await member.caller.ok('member', 'card', {})
    const { lastVisits } = await clerk().ok('staff', 'verifyMemberCode', { code })
    expect(lastVisits.map((visit) => [visit.purchaseId, visit.payable, visit.refunded])).toEqual([
      [kept.receipt.purchaseId, 3000, false],
      [receipt.purchaseId, 8000, true],
    ])
  })
})
