/**
 * 挂失: the member reports her card lost on the card-services page; the card stops showing a
 * member code, and the code she showed before is refused at the counter with the 挂失 message.
 * 解除挂失 brings the code back.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, phoneContext, screenshot, watchErrors } from '../support/browser'
import { startTestEmulator, type TestEmulator } from '../support/emulator'

const H5_DIR = path.resolve(__dirname, '../../dist/h5')

let emulator: TestEmulator
let browser: Browser

beforeAll(async () => {
  if (!existsSync(path.join(H5_DIR, 'index.html'))) throw new Error('dist/h5 is missing: run `npm run build:h5` first (npm test does)')
  emulator = await startTestEmulator({ seed: true, env: { EMULATOR_H5: H5_DIR } })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await emulator?.stop()
})

async function loginAs(persona: 'member' | 'clerk'): Promise<{ page: Page; errors: string[] }> {
  const context = await phoneContext(browser)
  const page = await context.newPage()
  const errors = watchErrors(page)
  await page.goto(`${emulator.url}/`)
  await page.locator(`#persona-${persona}`).click()
  return { page, errors }
}

/** The card tab as a fresh page (no slide-in animation left over from the page before). */
async function openCard(page: Page) {
  await page.goto(`${emulator.url}/#/pages/card/index`)
  await page.reload()
}

const text = async (page: Page, selector: string) => (await page.locator(selector).first().innerText()).trim()

test('after 挂失 the card shows no code and the old code is refused at the counter; 解除挂失 restores it', async () => {
  const member = await loginAs('member')
  await member.page.locator('#member-code-text').waitFor()
  const oldCode = (await text(member.page, '#member-code-text')).replace(/\s/g, '')

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
  expect(await text(clerk.page, '#page-error')).toContain('挂失')
  expect(await clerk.page.locator('#verify-result').count()).toBe(0)
  await screenshot(clerk.page, 'card-services', '4-clerk-refused')

  await member.page.locator('#card-services-entry').click()
  await member.page.locator('#cancel-loss-button').click()
  await member.page.locator('#cancel-loss-confirm-ok').click()
  await member.page.waitForFunction(() => document.querySelector('#cs-status')?.textContent?.trim() === '正常')
  await openCard(member.page)
  await member.page.locator('#member-code-text').waitFor()
  await screenshot(member.page, 'card-services', '5-card-restored')

  expect(member.errors).toEqual([])
  expect(clerk.errors).toEqual([])
})
