/**
 * Issue 10, items 2, 3 and 11 (the purchase part), at the counter as a busy clerk meets them: the
 * amount to collect is previewed before recording; a coupon this amount cannot take is shown
 * disabled with what it still needs, cannot be picked, and is let go when the amount drops; an
 * amount too large says so; a refusal that trying again cannot fix offers no 重试.
 */
import type { Page } from 'playwright-core'
import { DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { currentCode, screenshot, text } from '../support/browser'
import { addCouponTemplate } from '../support/coupons'
import { callerFor, requestId } from '../support/functions'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack()

async function counterFor(code: string): Promise<{ page: Page; errors: string[] }> {
  const clerk = await stack.loginAs('clerk')
  await clerk.page.locator('#staff-verify-entry').click()
  await clerk.page.locator('#verify-code-input input').fill(code)
  await clerk.page.locator('#verify-submit-button').click()
  await clerk.page.locator('#verify-result').waitFor()
  return clerk
}

const amountError = (page: Page) => text(page, '#purchase-amount-error')

test('amounts: too large says so, a third decimal says 最多两位小数, zero is refused', async () => {
  const member = await stack.loginAs('member')
  const clerk = await counterFor(await currentCode(member.page))
  const input = clerk.page.locator('#purchase-amount input')
  await input.fill('9999999999')
  expect(await amountError(clerk.page)).toBe('单笔最多 ¥1000000.00')
  await screenshot(clerk.page, 'counter-preview', '1-amount-too-large')
  await input.fill('1000000.01')
  expect(await amountError(clerk.page)).toBe('单笔最多 ¥1000000.00')
  await input.fill('19.999')
  expect(await amountError(clerk.page)).toBe('最多两位小数')
  await input.fill('0')
  expect(await amountError(clerk.page)).toBe('金额须大于 0')
  await input.fill('1000.5')
  expect(await clerk.page.locator('#purchase-amount-error').count()).toBe(0)
  await clerk.page.locator('#purchase-quote-payable').waitFor()
  expect(await text(clerk.page, '#purchase-quote-payable')).toBe('¥950.47')
  expect(clerk.errors).toEqual([])
})

test('a 满200 coupon on a ¥150 purchase is disabled with what it needs; above it, it applies and the preview shows it', async () => {
  const templateId = await addCouponTemplate(stack.emulator.adminUrl, { name: '满200减30', value: 3000, threshold: 20000 })
  await callerFor(stack.emulator.adminUrl, DEMO_MEMBER_OPENID).ok('coupon', 'claim', { templateId, requestId: requestId() })
  const member = await stack.loginAs('member')
  const clerk = await counterFor(await currentCode(member.page))
  const page = clerk.page
  const pick = page.locator('.coupon-pick', { hasText: '满200减30' })
  await pick.waitFor()

  await page.locator('#purchase-amount input').fill('150')
  // gold is 95折: ¥142.50 after it, ¥57.50 short of the threshold
  await page.waitForFunction(() => document.querySelector('.coupon-pick--disabled') !== null)
  expect(await pick.getAttribute('class')).toContain('coupon-pick--disabled')
  expect(await pick.innerText()).toContain('折后还差 ¥57.50 可用')
  await pick.click()
  expect(await pick.getAttribute('class')).not.toContain('coupon-pick--active')
  expect(await text(page, '#purchase-quote-payable')).toBe('¥142.50')
  await page.locator('#coupon-picker').scrollIntoViewIfNeeded()
  await screenshot(page, 'counter-preview', '2-coupon-below-threshold')

  await page.locator('#purchase-amount input').fill('250')
  await page.waitForFunction(() => document.querySelector('.coupon-pick--disabled') === null && document.querySelector('#purchase-quote-payable')?.textContent === '¥237.50')
  await pick.click()
  await page.waitForFunction(() => document.querySelector('#purchase-quote-payable')?.textContent === '¥207.50')
  expect(await pick.innerText()).toContain('本单再减 ¥30.00')
  expect(await text(page, '#purchase-submit')).toBe('确认收款 ¥207.50')
  await page.locator('#purchase-quote').scrollIntoViewIfNeeded()
  await screenshot(page, 'counter-preview', '3-preview-with-coupon')

  // the amount drops below the threshold: the coupon is let go, what is recorded is what is shown
  await page.locator('#purchase-amount input').fill('150')
  await page.waitForFunction(() => document.querySelector('#purchase-quote-payable')?.textContent === '¥142.50')
  expect(await pick.getAttribute('class')).not.toContain('coupon-pick--active')
  await page.locator('#pay-method-cash').click()
  await page.locator('#purchase-submit').click()
  await page.locator('#receipt').waitFor()
  expect(await text(page, '#receipt-payable')).toBe('¥142.50')
  expect(await page.locator('#receipt-coupon').count()).toBe(0)
  expect(clerk.errors).toEqual([])
})

test('stored value that cannot cover what is to collect is not offered: 储值支付 reads 余额不足 and cannot be chosen', async () => {
  const member = await stack.loginAs('member')
  const clerk = await counterFor(await currentCode(member.page))
  const page = clerk.page
  await page.locator('#purchase-amount input').fill('999999')
  await page.locator('#purchase-quote-payable').waitFor()
  const balance = page.locator('#pay-method-balance')
  expect(await balance.getAttribute('class')).toContain('choice--disabled')
  expect(await text(page, '#pay-method-balance')).toMatch(/余额不足 ¥\d+\.\d\d/)
  await balance.click()
  expect(await balance.getAttribute('class')).not.toContain('choice--active')
  expect(await page.locator('#pay-method-cash').getAttribute('class')).toContain('choice--active')
  await balance.scrollIntoViewIfNeeded()
  await screenshot(page, 'counter-preview', '4-balance-short-not-offered')
  expect(clerk.errors).toEqual([])
})
