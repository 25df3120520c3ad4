/**
 * The weapp build output is wired the way the source declares it: pages, subpackage and tabs
 * from src/routes.ts; the card page uses the native member-code component with the
 * kebab-case `expires-at` attribute bound to the `expiresAt` property.
 */
import fs from 'node:fs'
import path from 'node:path'
import { MAIN_PAGES, ROUTES, SUB_PACKAGES, TABS } from '../../src/routes'

const DIST = path.resolve(__dirname, '../../dist/weapp')

function readJson<T>(relative: string): T {
  const file = path.join(DIST, relative)
  if (!fs.existsSync(file)) throw new Error(`${path.relative(process.cwd(), file)} is missing. Run \`npm run build:weapp\` first.`)
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T
}

interface AppJson {
  pages: string[]
  subPackages: Array<{ root: string; pages: string[] }>
  lazyCodeLoading?: string
  tabBar: { list: Array<{ pagePath: string; text: string; iconPath?: string; selectedIconPath?: string }> }
}

test('app.json lists the pages, the staff subpackage and the three tabs from src/routes.ts', () => {
  const app = readJson<AppJson>('app.json')
  expect(app.pages).toEqual(MAIN_PAGES) // the H5 dev login is not shipped
  expect(fs.existsSync(path.join(DIST, `${ROUTES.devLogin}.js`))).toBe(false)
  expect(app.subPackages.map(({ root, pages }) => ({ root, pages }))).toEqual(SUB_PACKAGES.map(({ root, pages }) => ({ root, pages: [...pages] })))
  expect(app.lazyCodeLoading).toBe('requiredComponents')
  expect(app.tabBar.list.map((tab) => [tab.pagePath, tab.text])).toEqual(TABS.map((tab) => [ROUTES[tab.route], tab.text]))
  for (const tab of app.tabBar.list) {
    for (const icon of [tab.iconPath, tab.selectedIconPath]) expect(fs.existsSync(path.join(DIST, icon ?? 'missing'))).toBe(true)
  }
})

test('every page in app.json was emitted (js, json, wxml, wxss)', () => {
  const app = readJson<AppJson>('app.json')
  const pages = [...app.pages, ...app.subPackages.flatMap((pkg) => pkg.pages.map((page) => `${pkg.root}/${page}`))]
  for (const page of pages) for (const ext of ['js', 'json', 'wxml', 'wxss']) expect(fs.existsSync(path.join(DIST, `${page}.${ext}`))).toBe(true)
})

test('the card page declares the native member-code component and binds expires-at', () => {
  const card = readJson<{ usingComponents?: Record<string, string> }>(`${ROUTES.card}.json`)
  const target = card.usingComponents?.['member-code']
  expect(target).toBeDefined()
  const componentBase = path.resolve(DIST, path.dirname(ROUTES.card), target as string)
  expect(readJson<{ component?: boolean }>(`${path.relative(DIST, componentBase)}.json`).component).toBe(true)

  const base = fs.readFileSync(path.join(DIST, 'base.wxml'), 'utf8')
  expect(base).toMatch(/<member-code\s+code="\{\{i\.code\}\}" expires-at="\{\{i\.expiresAt\}\}"/)
})

test('staff pages stay out of the main package', () => {
  const app = readJson<AppJson>('app.json')
  expect(app.pages.some((page) => page.startsWith('staff/'))).toBe(false)
  expect(fs.existsSync(path.join(DIST, ROUTES.staffHome + '.js'))).toBe(true)
})

test('the heavier member pages live in the member subpackage, preloaded from the card tab; staff pages in staff', () => {
  const app = readJson<AppJson & { preloadRule?: Record<string, { packages: string[] }> }>('app.json')
  const member = app.subPackages.find((pkg) => pkg.root === 'member')
  expect(member?.pages).toEqual(expect.arrayContaining(['pages/stored-value/index', 'pages/card-services/index', 'pages/profile/index', 'pages/tier/index']))
  expect(app.pages.some((page) => page.startsWith('member/'))).toBe(false)
  const staff = app.subPackages.find((pkg) => pkg.root === 'staff')
  expect(staff?.pages).toEqual(expect.arrayContaining(['pages/verify/index', 'pages/card-service/index', 'pages/counter-log/index']))
  expect(app.preloadRule?.[ROUTES.card]?.packages).toEqual(['member', 'trade'])
})

test('the trade pages (coupons, mall, orders, flash sales, group-buy) live in the trade subpackage, preloaded from the card tab and 我的', () => {
  const app = readJson<AppJson & { preloadRule?: Record<string, { packages: string[] }> }>('app.json')
  const trade = app.subPackages.find((pkg) => pkg.root === 'trade')
  expect(trade?.pages).toEqual(
    expect.arrayContaining([
      'pages/coupon-centre/index',
      'pages/coupons/index',
      'pages/coupon-code/index',
      'pages/friend-coupon/index',
      'pages/mall/index',
      'pages/product/index',
      'pages/orders/index',
      'pages/order/index',
      'pages/flash-sales/index',
      'pages/group-buy/index',
      'pages/group/index',
    ]),
  )
  expect(app.pages.some((page) => page.startsWith('trade/'))).toBe(false)
  expect(app.preloadRule?.[ROUTES.me]?.packages).toEqual(['trade'])
  const staff = app.subPackages.find((pkg) => pkg.root === 'staff')
  expect(staff?.pages).toEqual(expect.arrayContaining(['pages/redeem-coupon/index', 'pages/pickup/index']))
})

test('the pages a member shares enable sharing (Taro adds onShareAppMessage): the wallet (朋友券), the group, product, flash-sale and invite pages; the invite page also to Moments', () => {
  for (const route of [ROUTES.couponWallet, ROUTES.group, ROUTES.product, ROUTES.flashSales, ROUTES.invite]) {
    const js = fs.readFileSync(path.join(DIST, `${route}.js`), 'utf8')
    expect(js).toMatch(/enableShareAppMessage\s*[:=]\s*(!0|true)/)
  }
  expect(fs.readFileSync(path.join(DIST, `${ROUTES.mall}.js`), 'utf8')).not.toContain('enableShareAppMessage')
  expect(fs.readFileSync(path.join(DIST, `${ROUTES.invite}.js`), 'utf8')).toMatch(/enableShareTimeline\s*[:=]\s*(!0|true)/)
})

test('the native member-code component ships its barcode encoder', () => {
  const wxml = fs.readFileSync(path.join(DIST, 'components/member-code/index.wxml'), 'utf8')
  expect(wxml).toContain('id="member-code-barcode"')
  expect(wxml).toContain('{{barSrc}}')
})
