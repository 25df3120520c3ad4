/**
 * Issue 10, item 9: codes people can read and type. The member's card shows an 18-digit code in
 * groups of four under a version-1 QR; the clerk types it as read (with the spaces) and the member
 * is found. A code no one was shown is refused without 重试, and past ten such codes in a minute
 * the counter refuses every code until the minute ends (counted on the server).
 */
import type { Page } from 'playwright-core'
import { REASON_COPY } from '../../src/services/reason-copy'
import { settledShots, text } from '../support/browser'
import { setClock } from '../support/clock'
import { decodeQrSrc } from '../support/qr-decode'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack()
const shot = settledShots('codes')

async function typeCode(clerk: Page, typed: string) {
  await clerk.locator('#verify-code-input input').fill('')
  await clerk.locator('#verify-code-input input').pressSequentially(typed)
  await clerk.locator('#verify-submit-button').click()
}

test('the clerk types the member code as read, in groups; unknown codes get no 重试 and the eleventh failure in a minute locks the counter', async () => {
  // the business clock at the start of a minute: the failures below all fall in that one minute
  await setClock(stack.emulator.url, Math.ceil(Date.now() / 60_000) * 60_000)
  const member = await stack.loginAs('member')
  await member.page.locator('#member-code-text').waitFor()
  const shown = await text(member.page, '#member-code-text')
  expect(shown).toMatch(/^8\d{3} \d{4} \d{4} \d{4} \d{2}$/)
  const qr = decodeQrSrc((await member.page.locator('#member-code img, #member-code image').first().getAttribute('src')) ?? '')
  expect(qr).toMatchObject({ data: shown.replace(/ /g, ''), version: 1 })
  await shot(member.page, '1-member-card-code')

  const clerk = await stack.loginAs('clerk')
  await clerk.page.locator('#staff-verify-entry').click()

  // one digit read wrong: refused as invalid, and a retry of the same digits is not offered
  const misread = shown.slice(0, -1) + String((Number(shown.slice(-1)) + 1) % 10)
  await typeCode(clerk.page, misread)
  await clerk.page.locator('#page-error').waitFor()
  expect(await text(clerk.page, '#page-error')).toContain(REASON_COPY.CODE_INVALID)
  expect(await clerk.page.locator('#retry-button').count()).toBe(0)
  await shot(clerk.page, '2-clerk-misread-code')

  // the code as shown, spaces and all
  await typeCode(clerk.page, shown)
  await clerk.page.locator('#verify-result').waitFor()
  expect(await text(clerk.page, '#verify-nickname')).toContain('林小雨')

  // someone guessing: nine more unknown codes are refused as invalid, the next as too many
  for (let n = 0; n < 9; n++) {
    await typeCode(clerk.page, `8000 0000 0000 0000 ${String(n).padStart(2, '0')}`)
    await clerk.page.locator('#page-error').waitFor()
    expect(await text(clerk.page, '#page-error')).toContain(REASON_COPY.CODE_INVALID)
  }
  await member.page.reload()
  await member.page.locator('#member-code-text').waitFor()
  await typeCode(clerk.page, await text(member.page, '#member-code-text'))
  await clerk.page.waitForFunction((copy) => document.querySelector('#page-error')?.textContent?.includes(copy), REASON_COPY.TOO_MANY_FAILED_SCANS)
  expect(await clerk.page.locator('#retry-button').count()).toBe(0)
  await shot(clerk.page, '3-clerk-too-many-failures')
  expect(member.errors).toEqual([])
  expect(clerk.errors).toEqual([])
})
