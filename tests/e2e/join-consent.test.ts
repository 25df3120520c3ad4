/**
 * Issue 10, item 7: joining says 入会即表示同意《会员章程》与《隐私政策》, so the two names open their
 * text, and the new member's 个人资料 shows the privacy policy agreed to at joining (not 尚未同意).
 */
import { PRIVACY_POLICY_VERSION } from '../../src/lib/policies'
import { settledShots, text } from '../support/browser'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack({ waitForLanding: true })
const shot = settledShots('join-consent')

test('the charter and the privacy policy open from the join page; joining records the consent the profile shows', async () => {
  const visitor = await stack.loginAs('visitor')
  const page = visitor.page
  await page.locator('#join-privacy-link').click()
  await page.locator('#policy-privacy').waitFor()
  expect(await text(page, '#policy-privacy')).toContain('《花漾美妆隐私政策》')
  expect(await text(page, '#policy-privacy')).toContain(`版本 ${PRIVACY_POLICY_VERSION}`)
  await shot(page, '1-privacy-policy')
  await page.goBack()
  await page.locator('#join-charter-link').click()
  await page.locator('#policy-charter').waitFor()
  expect(await text(page, '#policy-charter')).toContain('入会免费')
  await shot(page, '2-charter')
  await page.goBack()

  await page.locator('#join-nickname input').fill('小新')
  await page.locator('#join-button').click()
  await page.locator('#member-card').waitFor()
  await stack.open(page, 'member/pages/profile/index')
  await page.locator('#consent-status').waitFor()
  expect(await text(page, '#consent-status')).toMatch(new RegExp(`^已同意 ${PRIVACY_POLICY_VERSION} 版 · `))
  expect(await page.locator('#consent-button').count()).toBe(0)
  await page.locator('#consent-status').scrollIntoViewIfNeeded()
  await shot(page, '3-profile-consent')
  expect(visitor.errors).toEqual([])
})
