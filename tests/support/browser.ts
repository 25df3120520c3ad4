/**
 * Real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, sized like
 * a phone. Screenshots go to test-artifacts/ for the team to review. Below: small readers of what a page shows.
 */
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts')

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`bash scripts/install-system-deps.sh\` (Debian's chromium) first`)
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
}

export async function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
}

export async function screenshot(page: Page, folder: string, name: string): Promise<string> {
  const dir = path.join(ARTIFACTS, folder)
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/** Collects page errors so a test can assert the app ran without uncaught exceptions. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(String(error)))
  return errors
}

/** Screenshots taken after the page transition (Taro H5 slides pages in) and any toast have settled. */
export function settledShots(folder: string): (page: Page, name: string) => Promise<string> {
  return async (page, name) => {
    await page.waitForTimeout(600)
    return screenshot(page, folder, name)
  }
}

/** The trimmed text of the first element the selector matches. */
export const text = async (page: Page, selector: string) => (await page.locator(selector).first().innerText()).trim()

/** The whole number in an element's text: `1,290 积分` → 1290. */
export const numberIn = async (page: Page, selector: string) => Number((await text(page, selector)).replace(/[^\d-]/g, ''))

/** An amount in yuan as fen: `¥455.00` → 45500. */
export const fenIn = async (page: Page, selector: string) => Math.round(Number((await text(page, selector)).replace(/[^\d.-]/g, '')) * 100)

/** Waits until the element's trimmed text is exactly `expected`. */
export const waitForText = (page: Page, selector: string, expected: string, timeout = 15_000) =>
  page.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent?.trim() === want, [selector, expected] as const, { timeout })

/** The code on the member's card screen, as a clerk types it (without the reading spaces). */
export async function currentCode(member: Page): Promise<string> {
  await member.locator('#member-code-text').waitFor()
  return (await text(member, '#member-code-text')).replace(/\s/g, '')
}

/** The WeChat user behind a browser's dev session (a visitor gets a new openid at every login). */
export async function openidOf(page: Page): Promise<string> {
  const stored = await page.evaluate(() => window.localStorage.getItem('devSession'))
  const parsed = JSON.parse(stored ?? 'null') as { openid?: string; data?: { openid?: string } } | null
  const openid = parsed?.openid ?? parsed?.data?.openid
  if (!openid) throw new Error(`no dev session in the browser: ${stored}`)
  return openid
}
