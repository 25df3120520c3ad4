/**
 * The local console at /console (emulator/console.ts), driven in Chromium as an admin would:
 * a configuration document saved with a bad field shows the field's error and writes nothing; a
 * bulk grant run from its generated form changes the member's ledger; firing the nightly timer
 * shows its runs reach 已完成; moving the clock past a member code's life makes the counter refuse
 * it; a recorded payment and a generated mini-program code are visible.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { memberIdFor } from '../../domain/membership/member'
import { DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { REASON_COPY } from '../../src/services/reason-copy'
import { currentCode, phoneContext, screenshot, text, watchErrors } from '../support/browser'
import { adminApp, callerFor, moveClock, requestId } from '../support/functions'
import { insertMembers } from '../support/members'
import { useBrowserStack } from '../support/stack'
import { birthdaysOn } from '../../domain/membership/birthday'
import { businessDay } from '../../domain/shared/time'

const stack = useBrowserStack()
const db = () => adminApp(stack.emulator.adminUrl).database()

/** The console in a wide window of its own, on one of its tabs. */
async function openConsole(tab: string): Promise<{ page: Page; errors: string[] }> {
  const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
  const page = await context.newPage()
  const errors = watchErrors(page)
  await page.goto(`${stack.emulator.url}/console#${tab}`)
  await page.locator('.tabs').waitFor()
  return { page, errors }
}

afterEach(async () => {
  await moveClock(stack.emulator.url, { reset: true })
})

test('the dev login page links to the console', async () => {
  const context = await phoneContext(stack.browser)
  const page = await context.newPage()
  await page.goto(`${stack.emulator.url}/`)
  await page.locator('#console-link').click()
  await page.waitForURL(/\/console/)
  await page.locator('text=本地控制台').first().waitFor()
  await context.close()
})

test('a configuration document saved with a bad field shows the field’s error, and nothing is written', async () => {
  const before = (await db().collection('tiers').doc('silver').get()).data[0] as Record<string, unknown>
  const { page, errors } = await openConsole('database')
  await page.locator('nav[aria-label="集合"] .item', { hasText: 'tiers' }).click()
  await page.locator('.documents .item', { hasText: 'silver' }).click()
  const editor = page.locator('#document')
  const document = JSON.parse(await editor.inputValue()) as Record<string, unknown>
  await editor.fill(JSON.stringify({ ...document, growthThreshold: -5, name: '' }, null, 2))
  await page.locator('.editor button', { hasText: '保存' }).click()
  const alert = page.locator('.answer.failed')
  await alert.waitFor()
  expect(await alert.innerText()).toContain('CONFIG_INVALID')
  const fields = await page.locator('.answer.failed .fields li').allInnerTexts()
  expect(fields.some((field) => field.startsWith('growthThreshold'))).toBe(true)
  expect(fields.some((field) => field.startsWith('name'))).toBe(true)
  await screenshot(page, 'console', '1-config-refused')
  expect((await db().collection('tiers').doc('silver').get()).data[0]).toEqual(before)

  // the same document, corrected, is saved
  await editor.fill(JSON.stringify({ ...document, name: '银卡会员' }, null, 2))
  await page.locator('.editor button', { hasText: '保存' }).click()
  await page.locator('.answer.ok').waitFor()
  expect(((await db().collection('tiers').doc('silver').get()).data[0] as { name: string }).name).toBe('银卡会员')
  await editor.fill(JSON.stringify(document, null, 2))
  await page.locator('.editor button', { hasText: '保存' }).click()
  await page.locator('.answer.ok').waitFor()
  expect(errors).toEqual([])
})

test('a bulk grant run from its generated form posts one ledger entry to the member', async () => {
  const memberId = memberIdFor(DEMO_MEMBER_OPENID)
  const pointsBefore = ((await db().collection('members').doc(memberId).get()).data[0] as { points: number }).points
  const { page, errors } = await openConsole('actions')
  await page.locator('nav[aria-label="管理操作"] .item', { hasText: 'admin.bulkGrant' }).click()
  const batchId = `console-${Date.now()}`
  await page.locator('#field-batchId').fill(batchId)
  await page.locator('#field-memberIds').fill(`${memberId}\n`)
  await page.locator('#field-points').fill('88')
  await page.locator('#field-reason').fill('控制台补偿')
  await page.locator('.form button[type="submit"]').click()
  await page.locator('.answer.ok').waitFor()
  expect(await page.locator('.answer.ok pre').innerText()).toContain('"granted": 1')
  await screenshot(page, 'console', '2-bulk-grant')
  const { data } = await db().collection('ledger').doc(`grant:${batchId}:${memberId}`).get()
  expect(data).toEqual([expect.objectContaining({ points: 88, description: '控制台补偿', kind: 'grant' })])
  expect(((await db().collection('members').doc(memberId).get()).data[0] as { points: number }).points).toBe(pointsBefore + 88)

  // a bad input is answered with the field named
  await page.locator('#field-points').fill('-1')
  await page.locator('.form button[type="submit"]').click()
  await page.locator('.answer.failed').waitFor()
  expect(await page.locator('.answer.failed .fields').innerText()).toContain('points')
  expect(errors).toEqual([])
})

test('firing the nightly timer shows the night’s runs advancing to 已完成', async () => {
  // tonight has birthdays to give, so the run has items to show
  const day = businessDay(new Date())
  const members = await insertMembers(stack.emulator.adminUrl, 300, { label: 'console-bd', fields: () => ({ birthdayMonthDay: birthdaysOn(day)[0] }) })
  expect(members).toHaveLength(300)
  const { page, errors } = await openConsole('jobs')
  await page.locator('button', { hasText: '立即运行 nightly' }).click()
  const row = page.locator(`tr[data-run="birthdays:${day}"]`)
  await row.waitFor({ timeout: 30_000 })
  await page.waitForFunction((key) => document.querySelector(`tr[data-run="${key}"] .status`)?.textContent === '已完成', `birthdays:${day}`, { timeout: 60_000 })
  const cells = await row.locator('td').allInnerTexts()
  expect(cells[1]).toBe('birthdays')
  expect(Number(cells[4])).toBeGreaterThanOrEqual(300)
  expect(cells[3]).toMatch(/^(\d+)\/\1$/)
  await screenshot(page, 'console', '3-nightly-done')
  expect(errors).toEqual([])
})

test('moving the clock past a member code’s life in the console makes the counter refuse the code', async () => {
  const member = await stack.loginAs('member')
  const code = await currentCode(member.page)
  const { page, errors } = await openConsole('jobs')
  const shown = await text(page, '.clock')
  await page.locator('button', { hasText: '+5 分钟' }).click()
  await page.waitForFunction((before) => !document.querySelector('.clock')?.textContent?.startsWith(before), shown)
  await page.locator('.clock .tag').waitFor()
  await screenshot(page, 'console', '4-clock-moved')

  const clerk = await stack.loginAs('clerk')
  await clerk.page.locator('#staff-verify-entry').click()
  await clerk.page.locator('#verify-code-input input').fill(code)
  await clerk.page.locator('#verify-submit-button').click()
  await clerk.page.locator('#page-error').waitFor()
  expect(await text(clerk.page, '#page-error')).toContain(REASON_COPY.CODE_EXPIRED)
  await screenshot(clerk.page, 'console', '5-counter-refuses-old-code')

  await page.locator('button', { hasText: '回到现在' }).click()
  await page.locator('.clock .tag').waitFor({ state: 'detached' })
  expect(errors).toEqual([])
})

test('a recorded payment and a generated mini-program code are visible', async () => {
  const member = callerFor(stack.emulator.adminUrl, DEMO_MEMBER_OPENID)
  await member.ok('payment', 'createTopup', { amount: 20000, requestId: requestId() })
  const { orders } = (await (await fetch(`${stack.emulator.url}/emulator/pay/orders`)).json()) as { orders: { outTradeNo: string; totalFee: number; at: number }[] }
  const topup = orders.filter((order) => order.totalFee === 20000).sort((a, b) => b.at - a.at)[0]
  const scene = `c.console${Date.now() % 100000}`
  await adminApp(stack.emulator.adminUrl).callWxOpenApi({ apiName: 'wxacode.getUnlimited', requestData: { scene, page: 'pages/join/index' } })
  const { page, errors } = await openConsole('wechat')
  await page.locator('ul[aria-label="支付"] li', { hasText: topup.outTradeNo }).waitFor()
  expect(await page.locator('ul[aria-label="支付"] li', { hasText: topup.outTradeNo }).innerText()).toMatch(/¥200\.00.*待支付/)
  const code = page.locator(`img[alt="小程序码 ${scene}"]`)
  await code.waitFor()
  expect(await code.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0)).toBe(true)
  await code.scrollIntoViewIfNeeded()
  await screenshot(page, 'console', '6-wechat-records')
  expect(errors).toEqual([])
})

test('storage shows the files kept, with a preview of an image; invocations list the calls with their caller and outcome', async () => {
  const app = adminApp(stack.emulator.adminUrl)
  const png = readFileSync(path.resolve(__dirname, '../../src/assets/tab/card-active.png'))
  const { fileID } = await app.uploadFile({ cloudPath: 'banners/双十二.png', fileContent: png })
  await app.uploadFile({ cloudPath: 'reports/会员.csv', fileContent: Buffer.from('会员号,积分\n10000001,100\n') })
  const { page, errors } = await openConsole('storage')
  const image = page.locator('.files img[alt="banners/双十二.png"]')
  await image.waitFor()
  await page.waitForFunction(() => {
    const shown = document.querySelector<HTMLImageElement>('.files img')
    return Boolean(shown?.complete && shown.naturalWidth === 81)
  })
  expect(await page.locator('.files a', { hasText: 'reports/会员.csv' }).count()).toBe(1)
  expect(await page.locator('.files li', { hasText: 'banners/双十二.png' }).innerText()).toContain(`${png.length} 字节`)
  expect(fileID).toMatch(/^cloud:\/\//)
  await screenshot(page, 'console', '7-storage')

  await callerFor(stack.emulator.adminUrl, null).call('admin', 'jobRun', { key: 'no-such-run' })
  await page.locator('.tab', { hasText: '调用日志' }).click()
  const refused = page.locator('table[aria-label="函数调用"] tr', { hasText: 'jobRun' }).first()
  await refused.waitFor()
  expect(await refused.innerText()).toMatch(/admin\s+jobRun\s+控制台 \/ 定时器[\s\S]*error NOT_FOUND JOB_RUN_NOT_FOUND/)
  await screenshot(page, 'console', '8-invocations')
  expect(errors).toEqual([])
})
