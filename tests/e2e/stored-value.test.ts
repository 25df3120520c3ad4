/**
 * 储值: the member tops up ¥500 (a preset, 充500送50) through the simulated WeChat Pay sheet and
 * sees ¥550.00; the clerk then records a ¥100 purchase paid 储值支付 and the balance drops by
 * the payable amount.
 */
import { currentCode, fenIn, screenshot, text, waitForText } from '../support/browser'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack()
const { loginAs, open } = stack

test('a ¥500 top-up through the pay sheet gives ¥550.00; a 储值支付 purchase at the counter takes the payable amount', async () => {
  const member = await loginAs('member')
  await member.page.locator('#card-balance').waitFor()
  expect(await text(member.page, '#card-balance')).toBe('¥0.00')

  await member.page.locator('#card-topup-entry').click()
  await member.page.locator('#sv-balance').waitFor()
  expect(await text(member.page, '#sv-balance')).toBe('¥0.00')
  const preset = member.page.locator('#topup-option-50000')
  await preset.waitFor()
  expect(await preset.innerText()).toContain('充500送50')
  await preset.click()
  await screenshot(member.page, 'stored-value', '1-options')

  await member.page.locator('#topup-submit').click()
  await member.page.locator('#pay-sheet').waitFor()
  expect(await text(member.page, '#pay-sheet-amount')).toBe('¥500.00')
  await screenshot(member.page, 'stored-value', '2-pay-sheet')
  await member.page.locator('#pay-sheet-confirm').click()

  await member.page.waitForFunction(() => document.querySelector('#topup-result')?.textContent?.includes('充值成功'))
  await waitForText(member.page, '#sv-balance', '¥550.00')
  await member.page.locator('#balance-ledger-list').waitFor()
  expect(await text(member.page, '#balance-ledger-list')).toContain('充值')
  await member.page.waitForTimeout(1600) // let the 充值成功 toast go
  await screenshot(member.page, 'stored-value', '3-topped-up')

  await open(member.page, 'pages/card/index')
  await member.page.reload()
  await member.page.locator('#card-balance').waitFor()
  await waitForText(member.page, '#card-balance', '¥550.00')
  const code = await currentCode(member.page)

  const clerk = await loginAs('clerk')
  await clerk.page.locator('#staff-verify-entry').click()
  await clerk.page.locator('#verify-code-input input').fill(code)
  await clerk.page.locator('#verify-submit-button').click()
  await clerk.page.locator('#verify-result').waitFor()
  expect(await text(clerk.page, '#verify-balance')).toBe('¥550.00')
  await clerk.page.locator('#purchase-amount input').fill('100')
  await clerk.page.locator('#pay-method-balance').click()
  await clerk.page.locator('#purchase-quote-payable').waitFor()
  await clerk.page.locator('#purchase-submit').click()
  await clerk.page.locator('#receipt').waitFor()
  expect(await text(clerk.page, '#receipt-pay-method')).toBe('储值支付')
  const payable = await fenIn(clerk.page, '#receipt-payable')
  expect(payable).toBe(9500) // gold tier: 95折 of ¥100.00
  expect(await fenIn(clerk.page, '#receipt-balance-after')).toBe(55000 - payable)
  await clerk.page.locator('#receipt').scrollIntoViewIfNeeded()
  await screenshot(clerk.page, 'stored-value', '4-clerk-balance-receipt')

  await member.page.reload()
  await member.page.locator('#card-balance').waitFor()
  await waitForText(member.page, '#card-balance', '¥455.00')
  await screenshot(member.page, 'stored-value', '5-member-card-after')

  expect(member.errors).toEqual([])
  expect(clerk.errors).toEqual([])
})
