/**
 * The three persona journeys of the walking skeleton, in real headless Chromium against the
 * H5 build served by the emulator with demo data (what `npm start` runs).
 */
import { DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { screenshot, text } from '../support/browser'
import { decodeQrSrc } from '../support/qr-decode'
import { callerFor } from '../support/functions'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack()
const { loginAs, open } = stack

describe('browser journeys (H5 build, Chromium)', () => {
  let visitorNickname = ''

  test("a visitor who scanned clerk Li's code joins for free and lands on their member card", async () => {
    const { page, errors } = await loginAs('visitor')
    await page.locator('#join-channel').waitFor()
    expect(await text(page, '#join-channel')).toContain('李晓梅')
    await screenshot(page, 'visitor', '1-join')

    await page.locator('#join-button').click()
    await page.locator('#card-points').waitFor()
    expect(await text(page, '#card-tier')).toContain('银卡会员')
    expect(await text(page, '#card-points')).toContain('100')
    expect(await text(page, '#card-balance')).toContain('0.00')
    visitorNickname = await text(page, '#card-name')

    const qr = page.locator('#member-code img, #member-code image').first()
    await qr.waitFor()
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/)
    const firstCode = await text(page, '#member-code-text')
    expect(firstCode).toMatch(/^8\d{3}( \d{4}){3} \d{2}$/) // 18 digits in groups of four
    // the H5 bundle's QR (qrcode-generator bundled by the H5 build) scans as the code printed under it
    expect(decodeQrSrc((await qr.getAttribute('src')) ?? '').data).toBe(firstCode.replace(/\s/g, ''))
    expect(await text(page, '#member-code-countdown')).toMatch(/\d+ 秒后刷新/)
    await screenshot(page, 'visitor', '2-card')

    const shown = await page.locator('#member-code-text').textContent()
    await page.locator('#code-refresh-button').click()
    await page.waitForFunction((before) => document.querySelector('#member-code-text')?.textContent !== before, shown)
    expect(await text(page, '#member-code-text')).not.toBe(firstCode)
    expect(errors).toEqual([])
  })

  test('a member checks in, sees the points and a ledger line; a second check-in today is refused politely', async () => {
    const { page, errors } = await loginAs('member')
    await page.locator('#card-points').waitFor()
    expect(await text(page, '#card-points')).toContain('1280') // the seed: 1280 points
    await screenshot(page, 'member', '1-card')

    await open(page, 'pages/points/index')
    await page.locator('#checkin-button').click()
    await page.locator('.ledger-item').first().waitFor()
    await page.waitForFunction(() => document.querySelector('.ledger-item')?.textContent?.includes('每日签到'))
    const first = await text(page, '.ledger-item')
    expect(first).toContain('+10')
    expect(first).toContain('1290')
    await screenshot(page, 'member', '2-checked-in')

    // The server refuses a second check-in on the same business day; the app says so kindly.
    const again = await callerFor(stack.emulator.adminUrl, DEMO_MEMBER_OPENID).call('loyalty', 'checkin', { requestId: `e2e_${Date.now()}` })
    expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } })
    await page.reload()
    await page.locator('#checkin-note').waitFor()
    expect(await text(page, '#checkin-note')).toContain('明天再来')
    expect(await text(page, '#checkin-button')).toContain('已签到')
    await screenshot(page, 'member', '3-already-checked-in')
    expect(errors).toEqual([])
  })

  test("the clerk opens the staff tab and sees today's results and the members their channel code brought in", async () => {
    const { page, errors } = await loginAs('clerk')
    await page.locator('#staff-member-list').waitFor()
    expect(await text(page, '#staff-name')).toContain('李晓梅')
    const list = await text(page, '#staff-member-list')
    expect(list).toContain('林小雨')
    expect(list).toContain(visitorNickname)
    // 今日业绩: the visitor who joined through Li's code counts at once (the join delivers its fact)
    expect(await text(page, '#today-joins')).toBe('1')
    expect(await text(page, '#today-purchases')).toBe('0')
    await screenshot(page, 'clerk', '1-my-members')

    const { code } = await callerFor(stack.emulator.adminUrl, DEMO_MEMBER_OPENID).ok('member', 'card', {})
    await page.locator('#staff-verify-entry').click()
    await page.locator('#verify-code-input input').fill(code)
    await page.locator('#verify-submit-button').click()
    await page.locator('#verify-result').waitFor()
    expect(await text(page, '#verify-nickname')).toContain('林小雨')
    expect(await text(page, '#verify-phone')).toContain('138****5678')
    await screenshot(page, 'clerk', '2-verified-member')
    expect(errors).toEqual([])
  })
})
