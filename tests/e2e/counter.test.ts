/**
 * At the counter: the member shows her card, the clerk (a second phone) types the code,
 * records a ¥199.00 purchase paid in cash; the receipt applies the gold tier's 95折 and
 * the member's card shows the points earned.
 */
import type { Page } from 'playwright-core'
import { currentCode, numberIn, screenshot, text } from '../support/browser'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack()
const { loginAs } = stack

async function verifyAtCounter(clerk: Page, code: string) {
  await clerk.locator('#staff-verify-entry').click()
  await clerk.locator('#verify-code-input input').fill(code)
  await clerk.locator('#verify-submit-button').click()
}

test('the clerk records a ¥199.00 cash purchase: 95折 for gold, ¥189.05 payable, points on the member card', async () => {
  const member = await loginAs('member')
  await member.page.locator('#card-points').waitFor()
  const pointsBefore = await numberIn(member.page, '#card-points')
  expect(await text(member.page, '#card-tier')).toContain('金卡')
  const code = await currentCode(member.page)
  await screenshot(member.page, 'counter', '1-member-card')

  const clerk = await loginAs('clerk')
  await verifyAtCounter(clerk.page, code)
  await clerk.page.locator('#verify-result').waitFor()
  expect(await text(clerk.page, '#verify-nickname')).toContain('林小雨')
  expect(await text(clerk.page, '#verify-phone')).toContain('138****5678')
  expect(await clerk.page.locator('#action-adjust').count()).toBe(0) // 积分调整 is for store managers
  await screenshot(clerk.page, 'counter', '2-clerk-member-summary')

  await clerk.page.locator('#purchase-amount input').fill('199.00')
  await clerk.page.locator('#pay-method-cash').click()
  // 应收预览 before recording: what to collect, and the points it earns
  await clerk.page.locator('#purchase-quote-payable').waitFor()
  expect(await text(clerk.page, '#purchase-quote-payable')).toBe('¥189.05')
  const previewed = await numberIn(clerk.page, '#purchase-quote-points')
  await clerk.page.locator('#purchase-submit').click()
  await clerk.page.locator('#receipt').waitFor()
  expect(await text(clerk.page, '#receipt-list-amount')).toBe('¥199.00')
  expect(await text(clerk.page, '#receipt-discount')).toContain('95折')
  expect(await text(clerk.page, '#receipt-payable')).toBe('¥189.05')
  expect(await text(clerk.page, '#receipt-pay-method')).toBe('现金')
  expect(await text(clerk.page, '#receipt-no')).toMatch(/^单号 \d{20}$/) // a number people read, not the ledger id
  const earned = await numberIn(clerk.page, '#receipt-points-earned')
  expect(earned).toBeGreaterThan(0)
  expect(earned).toBe(previewed)
  expect(await numberIn(clerk.page, '#receipt-points-after')).toBe(pointsBefore + earned)
  await clerk.page.locator('#receipt').scrollIntoViewIfNeeded()
  await screenshot(clerk.page, 'counter', '3-clerk-receipt')

  await member.page.reload()
  await member.page.locator('#card-points').waitFor()
  await member.page.waitForFunction((expected) => document.querySelector('#card-points')?.textContent?.trim() === String(expected), pointsBefore + earned)
  await screenshot(member.page, 'counter', '4-member-card-after')

  expect(member.errors).toEqual([])
  expect(clerk.errors).toEqual([])
})

test('a store manager adjusts points with a required reason; the summary shows the new balance', async () => {
  const member = await loginAs('member')
  await member.page.locator('#card-points').waitFor()
  const pointsBefore = await numberIn(member.page, '#card-points')
  const code = await currentCode(member.page)

  const manager = await loginAs('manager') // 店长 王芳
  await verifyAtCounter(manager.page, code)
  await manager.page.locator('#verify-result').waitFor()
  await manager.page.locator('#action-adjust').click()
  await manager.page.locator('#adjust-direction-deduct').click()
  // the brand's cap per adjustment (5000 in the demo): more is refused on the spot
  await manager.page.locator('#adjust-points input').fill('6000')
  await manager.page.locator('#adjust-reason input').fill('重复发放的活动积分')
  expect(await text(manager.page, '#adjust-points-error')).toBe('单次最多调整 5000 积分，更多请分次并写明原因')
  expect(await manager.page.locator('#adjust-submit').getAttribute('class')).toContain('btn--disabled')
  await screenshot(manager.page, 'counter', '5-manager-adjust-over-cap')
  await manager.page.locator('#adjust-points input').fill('30')
  await manager.page.locator('#adjust-reason input').fill('测')
  expect(await manager.page.locator('#adjust-submit').getAttribute('class')).toContain('btn--disabled') // a reason is required
  await manager.page.locator('#adjust-reason input').fill('重复发放的活动积分')
  // nothing is posted until the manager confirms the member, the change and the reason
  await manager.page.locator('#adjust-submit').click()
  await manager.page.locator('#adjust-confirm').waitFor()
  expect(await text(manager.page, '#adjust-confirm')).toContain('林小雨')
  expect(await text(manager.page, '#adjust-confirm-change')).toBe(`扣减 30 积分（当前 ${pointsBefore} 积分）`)
  expect(await text(manager.page, '#adjust-confirm')).toContain('原因：重复发放的活动积分')
  await screenshot(manager.page, 'counter', '6-manager-adjust-confirm')
  await manager.page.locator('#adjust-confirm-cancel').click()
  expect(await numberIn(manager.page, '#verify-points')).toBe(pointsBefore)
  await manager.page.locator('#adjust-submit').click()
  await manager.page.locator('#adjust-confirm-ok').click()
  await manager.page.locator('#adjust-result').waitFor()
  expect(await text(manager.page, '#adjust-result')).toContain('-30')
  expect(await numberIn(manager.page, '#verify-points')).toBe(pointsBefore - 30)
  await manager.page.locator('#adjust-result').scrollIntoViewIfNeeded()
  await screenshot(manager.page, 'counter', '7-manager-adjusted')

  await member.page.reload()
  await member.page.waitForFunction((expected) => document.querySelector('#card-points')?.textContent?.trim() === String(expected), pointsBefore - 30)

  // the counter page reloaded while the token lives: the same member, read afresh, no new code asked
  await manager.page.reload()
  await manager.page.locator('#verify-result').waitFor()
  expect(await text(manager.page, '#verify-nickname')).toContain('林小雨')
  expect(await numberIn(manager.page, '#verify-points')).toBe(pointsBefore - 30)
  await screenshot(manager.page, 'counter', '8-manager-reloaded')
  // 接待下一位 ends it: a reload then waits for the next code
  await manager.page.locator('#action-purchase').click()
  await manager.page.locator('#purchase-amount input').fill('10.00')
  await manager.page.locator('#pay-method-cash').click()
  await manager.page.locator('#purchase-quote-payable').waitFor()
  await manager.page.locator('#purchase-submit').click()
  await manager.page.locator('#receipt').waitFor()
  await manager.page.locator('#next-customer').click()
  await manager.page.reload()
  await manager.page.locator('#verify-code-input').waitFor()
  expect(await manager.page.locator('#verify-result').count()).toBe(0)
  expect(member.errors).toEqual([])
  expect(manager.errors).toEqual([])
})
