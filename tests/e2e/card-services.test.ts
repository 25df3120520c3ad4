/**
 * 挂失: the member reports her card lost on the card-services page; the card stops showing a
 * member code, and the code she showed before is refused at the counter with the copy for CARD_LOST.
 * 解除挂失 brings the code back.
 */
import type { Page } from 'playwright-core'
import { REASON_COPY } from '../../src/services/reason-copy'
import { currentCode, screenshot, text } from '../support/browser'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack()
const { loginAs } = stack

/** The card tab as a fresh page (no slide-in animation left over from the page before). */
async function openCard(page: Page) {
  await stack.open(page, 'pages/card/index')
  await page.reload()
}

test('after 挂失 the card shows no code and the old code is refused at the counter; 解除挂失 restores it', async () => {
  const member = await loginAs('member')
  const oldCode = await currentCode(member.page)

  await member.page.locator('#card-services-entry').click()
  await member.page.locator('#report-loss-button').waitFor()
  expect(await text(member.page, '#cs-status')).toBe('正常')
  await member.page.locator('#report-loss-button').click()
  await member.page.locator('#loss-confirm').waitFor()
  await screenshot(member.page, 'card-services', '1-confirm-loss')
  await member.page.locator('#loss-confirm-ok').click()
  await member.page.waitForFunction(() => document.querySelector('#cs-status')?.textContent?.trim() === '已挂失')
  await member.page.locator('#cancel-loss-button').waitFor()
  await screenshot(member.page, 'card-services', '2-lost')

  await openCard(member.page)
  await member.page.locator('#card-code-blocked').waitFor()
  expect(await member.page.locator('#member-code-text').count()).toBe(0)
  expect(await text(member.page, '#card-code-blocked')).toContain('挂失')
  await screenshot(member.page, 'card-services', '3-card-without-code')

  const clerk = await loginAs('clerk')
  await clerk.page.locator('#staff-verify-entry').click()
  await clerk.page.locator('#verify-code-input input').fill(oldCode)
  await clerk.page.locator('#verify-submit-button').click()
  await clerk.page.locator('#page-error').waitFor()
  // the copy for the reason, and no code or server wording under it
  expect(await text(clerk.page, '#page-error')).toContain(REASON_COPY.CARD_LOST)
  expect(await text(clerk.page, '#page-error')).not.toMatch(/FAILED_PRECONDITION|CARD_LOST|[A-Z]{3,}_[A-Z]/)
  expect(await clerk.page.locator('#verify-result').count()).toBe(0)
  await screenshot(clerk.page, 'card-services', '4-clerk-refused')

  // 解除挂失 on the phone: WeChat's phone authorisation must give the number on file (H5: the emulator's stand-in for 林小雨's WeChat account)
  await member.page.locator('#card-services-entry').click()
  expect(await text(member.page, '#cs-phone-hint')).toContain('138****5678')
  await screenshot(member.page, 'card-services', '5-cancel-with-phone')
  await member.page.locator('#cancel-loss-button').click()
  await member.page.waitForFunction(() => document.querySelector('#cs-status')?.textContent?.trim() === '正常')
  await openCard(member.page)
  await member.page.locator('#member-code-text').waitFor()
  await screenshot(member.page, 'card-services', '6-card-restored')

  expect(member.errors).toEqual([])
  expect(clerk.errors).toEqual([])
})

test('a member without a phone on file cannot lift a loss on the phone: the page sends them to a store', async () => {
  const visitor = await loginAs('visitor')
  await visitor.page.locator('#join-nickname input').fill('无手机')
  await visitor.page.locator('#join-button').click()
  await visitor.page.locator('#member-card').waitFor()
  await visitor.page.locator('#card-services-entry').click()
  await visitor.page.locator('#report-loss-button').click()
  await visitor.page.locator('#loss-confirm-ok').click()
  await visitor.page.waitForFunction(() => document.querySelector('#cs-status')?.textContent?.trim() === '已挂失')
  expect(await text(visitor.page, '#cs-no-phone')).toContain('请到任一门店')
  expect(await visitor.page.locator('#cancel-loss-button').count()).toBe(0)
  await screenshot(visitor.page, 'card-services', '7-lost-without-phone')
  expect(visitor.errors).toEqual([])
})
