/**
 * Issue 10, item 14: joining offers WeChat's phone authorisation (the H5 app's stand-in answers with
 * the number of the signed-in WeChat account), so the new member can be served for a lost card at a
 * store; the nickname is editable in 个人资料 and is what the card shows.
 */
import { settledShots, text } from '../support/browser'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack({ waitForLanding: true })
const { open } = stack
const shot = settledShots('join-phone')

test('a visitor authorises the phone on the join page and joins: the profile shows it masked; a new nickname shows on the card', async () => {
  const visitor = await stack.loginAs('visitor')
  const page = visitor.page
  await page.locator('#join-nickname input').fill('小鹿')
  expect(await text(page, '#join-phone')).toContain('不授权也可以入会')
  await shot(page, '1-join-phone-offered')
  await page.locator('#join-phone-button').click()
  await page.locator('#join-phone-granted').waitFor()
  await shot(page, '2-join-phone-granted')
  await page.locator('#join-button').click()
  await page.locator('#member-card').waitFor()
  expect(await text(page, '#card-name')).toBe('小鹿')

  await open(page, 'member/pages/profile/index')
  await page.locator('#profile-phone').waitFor()
  expect(await text(page, '#profile-phone')).toMatch(/^1\d{2}\*{4}\d{4}$/)

  // 昵称: what the card shows
  await page.locator('#profile-nickname-input input').fill('小鹿斑比')
  await page.locator('#profile-save').click()
  await page.waitForFunction(() => document.querySelector('#profile-nickname')?.textContent?.trim() === '小鹿斑比')
  await shot(page, '3-profile-nickname')
  await open(page, 'pages/card/index')
  await page.reload()
  await page.waitForFunction(() => document.querySelector('#card-name')?.textContent?.trim() === '小鹿斑比')
  await shot(page, '4-card-new-nickname')
  expect(visitor.errors).toEqual([])
})
