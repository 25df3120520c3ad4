/**
 * Issue 10, item 6: after a refund at the counter the member summary shows the growth the refund
 * took back, and 最近到店 says the sale was refunded — at once, and after the next scan too.
 */
import type { Page } from 'playwright-core'
import { currentCode, numberIn, screenshot, text } from '../support/browser'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack()

async function scan(clerk: Page, code: string) {
  await clerk.locator('#staff-verify-entry').click()
  await clerk.locator('#verify-code-input input').fill(code)
  await clerk.locator('#verify-submit-button').click()
  await clerk.locator('#verify-result').waitFor()
}

test('a refund takes the growth back in the summary and marks the sale 已退款 in 最近到店', async () => {
  const member = await stack.loginAs('member')
  const clerk = await stack.loginAs('clerk')
  await scan(clerk.page, await currentCode(member.page))
  const growthBefore = await numberIn(clerk.page, '#verify-growth')

  await clerk.page.locator('#purchase-amount input').fill('120')
  await clerk.page.locator('#pay-method-cash').click()
  await clerk.page.locator('#purchase-quote-payable').waitFor()
  await clerk.page.locator('#purchase-submit').click()
  await clerk.page.locator('#receipt').waitFor()
  const growthAfterSale = await numberIn(clerk.page, '#verify-growth')
  expect(growthAfterSale).toBeGreaterThan(growthBefore)
  expect(await text(clerk.page, '#verify-last-visits')).toContain('消费 ¥114.00')

  await clerk.page.locator('#receipt-refund-button').click()
  await clerk.page.locator('#refund-confirm-ok').click()
  await clerk.page.waitForFunction((expected) => document.querySelector('#verify-growth')?.textContent?.trim() === String(expected), growthBefore)
  const visits = await text(clerk.page, '#verify-last-visits')
  expect(visits).toMatch(/消费 ¥114\.00\s*已退款/)
  await clerk.page.locator('#verify-last-visits').scrollIntoViewIfNeeded()
  await screenshot(clerk.page, 'counter-refund', '1-summary-after-refund')

  // the next scan reads the same from the server
  await member.page.reload()
  await stack.open(clerk.page, 'staff/pages/home/index')
  await scan(clerk.page, await currentCode(member.page))
  expect(await numberIn(clerk.page, '#verify-growth')).toBe(growthBefore)
  expect(await text(clerk.page, '#verify-last-visits')).toMatch(/消费 ¥114\.00\s*已退款/)
  await screenshot(clerk.page, 'counter-refund', '2-next-scan')
  expect(clerk.errors).toEqual([])
})
