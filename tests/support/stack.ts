/**
 * The stack every browser test runs on: the emulator with the demo data serving the H5 build
 * (what `npm start` runs) and one headless Chromium, started before the file's tests and stopped
 * after them; each persona logs in on a phone of its own.
 *
 *   const stack = useBrowserStack()
 *   test('…', async () => {
 *     const member = await stack.loginAs('member')
 *     await member.page.goto(`${stack.emulator.url}/#/pages/points/index`)
 *     expect(member.errors).toEqual([])
 *   })
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, phoneContext, watchErrors } from './browser'
import { startTestEmulator, type TestEmulator } from './emulator'

export const H5_DIR = path.resolve(__dirname, '../../dist/h5')

/** The personas of the demo data, as the persona picker (`#persona-<id>`) offers them. */
export type Persona = 'visitor' | 'member' | 'clerk' | 'manager'

/** What each persona lands on after the picker: a visitor the join page, a member the card, a clerk or manager the staff tab. */
const LANDING: Record<Persona, string> = { visitor: '#join-button', member: '#member-card', clerk: '#staff-card', manager: '#staff-card' }

/** One phone: a page in a browser context of its own, and the uncaught errors seen on it. */
export interface Phone {
  page: Page
  errors: string[]
}

export interface BrowserStackOptions {
  /** loginAs waits until the persona's landing page shows (see LANDING); otherwise it returns right after the click. */
  waitForLanding?: boolean
}

export interface BrowserStack {
  /** Set by the file's beforeAll. */
  emulator: TestEmulator
  /** Set by the file's beforeAll. */
  browser: Browser
  /** A new phone (its own browser context, so personas sit side by side) logged in as the persona. */
  loginAs(persona: Persona): Promise<Phone>
  /** Goes to a route of the app, e.g. `open(page, 'pages/card/index')`. */
  open(page: Page, route: string): Promise<unknown>
}

/** Registers the beforeAll / afterAll that start and stop the stack in the calling test file. */
export function useBrowserStack(options: BrowserStackOptions = {}): BrowserStack {
  const stack: BrowserStack = {
    emulator: undefined as unknown as TestEmulator,
    browser: undefined as unknown as Browser,
    async loginAs(persona) {
      const context = await phoneContext(stack.browser)
      const page = await context.newPage()
      const errors = watchErrors(page)
      await page.goto(`${stack.emulator.url}/`)
      await page.locator(`#persona-${persona}`).click()
      if (options.waitForLanding) await page.locator(LANDING[persona]).waitFor()
      return { page, errors }
    },
    open: (page, route) => page.goto(`${stack.emulator.url}/#/${route}`),
  }

  beforeAll(async () => {
    if (!existsSync(path.join(H5_DIR, 'index.html'))) throw new Error('dist/h5 is missing: run `npm run build:h5` first (npm test does)')
    stack.emulator = await startTestEmulator({ seed: true, env: { EMULATOR_H5: H5_DIR } })
    stack.browser = await launchBrowser()
  })
  afterAll(async () => {
    await stack.browser?.close()
    await stack.emulator?.stop()
  })

  return stack
}
