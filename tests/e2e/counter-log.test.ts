/**
 * 门店台账 at the end of the day, as store manager 王芳 reads it: money taken split by 现金 and 微信,
 * stored value spent apart, a ¥500.00 top-up shown as ¥500.00 taken with its ¥50.00 bonus apart
 * (not "¥550 收款"), points net of the refund, each line with the member's name, and one row per
 * clerk. The figures on screen are the server's; the server's are the ledger's sums
 * (tests/functions/counter-figures.test.ts).
 */
import { DEMO_CLERK_OPENID, DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { settledShots, text } from '../support/browser'
import { MANAGER_OPENID } from '../support/counter'
import { callerFor, requestId } from '../support/functions'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack({ waitForLanding: true })
const shot = settledShots('counter-log')

async function counterToken(clerkOpenid: string): Promise<string> {
  const { code } = await callerFor(stack.emulator.adminUrl, DEMO_MEMBER_OPENID).ok('member', 'card', {})
  return (await callerFor(stack.emulator.adminUrl, clerkOpenid).ok('staff', 'verifyMemberCode', { code })).counterToken
}

test('the manager’s 台账: 现金 / 微信 / 储值 apart, a top-up’s bonus apart, points net of refunds, members by name, one row per clerk', async () => {
  const clerk = callerFor(stack.emulator.adminUrl, DEMO_CLERK_OPENID)
  const manager = callerFor(stack.emulator.adminUrl, MANAGER_OPENID)
  await clerk.ok('staff', 'topup', { counterToken: await counterToken(DEMO_CLERK_OPENID), amount: 50000, payMethod: 'cash', requestId: requestId() })
  await clerk.ok('staff', 'recordPurchase', { counterToken: await counterToken(DEMO_CLERK_OPENID), amount: 10000, payMethod: 'cash', requestId: requestId() })
  const { receipt } = await clerk.ok('staff', 'recordPurchase', { counterToken: await counterToken(DEMO_CLERK_OPENID), amount: 20000, payMethod: 'wechat', requestId: requestId() })
  await manager.ok('staff', 'recordPurchase', { counterToken: await counterToken(MANAGER_OPENID), amount: 30000, payMethod: 'balance', requestId: requestId() })
  await manager.ok('staff', 'refundPurchase', { purchaseId: receipt.purchaseId, requestId: requestId() })
  const expected = await manager.ok('staff', 'counterLog', {})

  const phone = await stack.loginAs('manager')
  await phone.page.locator('#staff-counter-log-entry').click()
  await phone.page.locator('#counter-log-totals').waitFor()
  const fen = (value: number) => `¥${(value / 100).toFixed(2)}`
  expect(await text(phone.page, '#log-cash')).toBe(fen(expected.totals.cashFen))
  expect(expected.totals.cashFen).toBe(50000 + receiptPayable(expected, 10000))
  expect(await text(phone.page, '#log-wechat')).toBe('¥0.00') // the 微信 sale was refunded
  expect(await text(phone.page, '#log-balance')).toBe(fen(expected.totals.balanceSpentFen))
  expect(await text(phone.page, '#log-topups')).toBe('¥500.00')
  expect(await text(phone.page, '#counter-log-totals')).toContain('储值充值收款 · 赠送 ¥50.00')
  expect(await text(phone.page, '#log-points')).toBe(String(expected.totals.pointsIssued))
  expect(await text(phone.page, '#log-refunds')).toBe(fen(receipt.payable))
  await shot(phone.page, '1-totals')

  await phone.page.locator('#counter-log-by-staff').scrollIntoViewIfNeeded()
  const rows = await phone.page.locator('#counter-log-by-staff .log-staff').allInnerTexts()
  expect(rows).toHaveLength(2)
  expect(rows.join('\n')).toContain('李晓梅')
  expect(rows.join('\n')).toContain('王芳')
  await shot(phone.page, '2-by-clerk')

  const list = await text(phone.page, '#counter-log-list')
  expect(list).toContain('林小雨')
  expect(list).toContain('赠送 ¥50.00')
  expect(list).toMatch(/¥500\.00\s*现金/)
  await phone.page.locator('#counter-log-list').scrollIntoViewIfNeeded()
  await shot(phone.page, '3-lines')
  expect(phone.errors).toEqual([])
})

/** The payable of the day's cash purchase of `amount` (the member's tier discount applied), from the log's own lines. */
function receiptPayable(log: { entries: { action: string; payMethod: string | null; amount: number }[] }, amount: number): number {
  const cash = log.entries.filter((entry) => entry.action === 'purchase' && entry.payMethod === 'cash')
  expect(cash).toHaveLength(1)
  expect(cash[0].amount).toBeLessThanOrEqual(amount)
  return cash[0].amount
}
