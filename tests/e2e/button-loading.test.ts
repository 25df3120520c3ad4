/**
 * Issue 10, item 8: a button's busy state toggling (记录消费, 查询, 立即入会) logs nothing to the
 * browser console; Taro's own H5 loading icon threw `NotFoundError: insertBefore` each time.
 */
import type { Page } from 'playwright-core'
import { currentCode } from '../support/browser'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack()

function consoleErrors(page: Page): string[] {
  const logged: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') logged.push(message.text().split('\n')[0])
  })
  return logged
}

test('busy buttons at the counter and on the join page log no console error', async () => {
  const member = await stack.loginAs('member')
  const code = await currentCode(member.page)
  const clerk = await stack.loginAs('clerk')
  const logged = consoleErrors(clerk.page)
  await clerk.page.locator('#staff-verify-entry').click()
  await clerk.page.locator('#verify-code-input input').fill(code)
  await clerk.page.locator('#verify-submit-button').click()
  await clerk.page.locator('#verify-result').waitFor()
  await clerk.page.locator('#purchase-amount input').fill('10')
  await clerk.page.locator('#purchase-quote-payable').waitFor()
  await clerk.page.locator('#purchase-submit').click()
  await clerk.page.locator('#receipt').waitFor()
  expect(logged).toEqual([])

  const visitor = await stack.loginAs('visitor')
  const visitorLogged = consoleErrors(visitor.page)
  await visitor.page.locator('#join-button').click()
  await visitor.page.locator('#member-card').waitFor()
  expect(visitorLogged).toEqual([])
  expect([...clerk.errors, ...visitor.errors]).toEqual([])
})
