/**
 * Issue 10, item 16: no internals on screen. Every page of the four personas (a visitor, the member
 * 林小雨, clerk 李晓梅, manager 王芳) is opened with data on it — orders of each kind, a coupon and its
 * code, a shared friend coupon, a group — and a few states people reach by mistake (a product or
 * group that is gone, an order that is not theirs). The visible text must hold no UPPER_SNAKE code,
 * no internal id (ids joined with `:`, member ids, openids, request ids) and no English transport
 * message. Each page's screenshot is in test-artifacts/walk/.
 */
import type { Page } from 'playwright-core'
import { DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { ROUTES, type RouteName } from '../../src/routes'
import { screenshot } from '../support/browser'
import { AT_STORE, callerFor, requestId } from '../support/functions'
import { useBrowserStack, type Persona } from '../support/stack'

const stack = useBrowserStack({ waitForLanding: true })

const INTERNALS: { what: string; pattern: RegExp }[] = [
  { what: 'an UPPER_SNAKE code', pattern: /\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b/ },
  { what: 'an internal id joined with ":"', pattern: /[A-Za-z][\w-]*:[\w-]*[A-Za-z_][\w-]*/ },
  { what: 'a member id, openid or request id', pattern: /\b(?:m|o|req|inv)_[0-9a-z_]{6,}\b/ },
  { what: 'an English transport message', pattern: /\b(?:[Ee]rror|[Ff]ailed|[Tt]imeout|undefined|null|NaN|[Nn]etwork|INTERNAL|Internal|object Object|status code)\b/ },
]

/** What a person reads of the current page, once it has loaded (no loading state left). */
async function visibleText(page: Page): Promise<string> {
  await page.waitForFunction(() => document.querySelector('.taro_page') !== null && !document.querySelector('#page-loading') && (document.body.innerText ?? '').trim().length > 0)
  return page.evaluate(() => document.body.innerText)
}

type Visit = { name: string; route: RouteName; params?: Record<string, string> }

async function walk(persona: Persona, visits: Visit[]): Promise<string[]> {
  const phone = await stack.loginAs(persona)
  const found: string[] = []
  for (const visit of visits) {
    const query = visit.params ? `?${new URLSearchParams(visit.params)}` : ''
    await stack.open(phone.page, `${ROUTES[visit.route]}${query}`)
    await phone.page.reload()
    const shown = await visibleText(phone.page)
    await screenshot(phone.page, 'walk', `${persona}-${visit.name}`)
    for (const { what, pattern } of INTERNALS) {
      const hit = pattern.exec(shown)
      if (hit) found.push(`${persona} · ${visit.name}: ${what} "${hit[0]}"`)
    }
  }
  expect(phone.errors).toEqual([])
  return found
}

test('no page of any persona shows a code, an internal id or an English transport message', async () => {
  const member = callerFor(stack.emulator.adminUrl, DEMO_MEMBER_OPENID)
  const mallOrder = await member.ok('mall', 'exchange', { productId: 'p-lipbalm', quantity: 1, fulfilment: AT_STORE, requestId: requestId() })
  const flashOrder = await member.ok('promo', 'flashBuy', { saleId: 'fs-serum-live', fulfilment: AT_STORE, requestId: requestId() })
  const group = await member.ok('promo', 'startGroup', { campaignId: 'gb-cleanser-3', fulfilment: AT_STORE, payMethod: 'wechat', requestId: requestId() })
  await member.ok('coupon', 'claim', { templateId: 'friend-30', requestId: requestId() })
  const { coupons } = await member.ok('coupon', 'wallet', { status: 'unused' })
  const { share } = await member.ok('coupon', 'shareFriendCoupon', { templateId: 'friend-30' })
  const coupon = coupons[0]

  const consumer: Visit[] = [
    { name: 'card', route: 'card' },
    { name: 'points', route: 'points' },
    { name: 'me', route: 'me' },
    { name: 'trade-home', route: 'tradeHome' },
    { name: 'coupon-centre', route: 'couponCentre' },
    { name: 'mall', route: 'mall' },
    { name: 'product', route: 'product', params: { productId: 'p-lipbalm' } },
    { name: 'product-gone', route: 'product', params: { productId: 'p-no-such-product' } },
    { name: 'flash-sales', route: 'flashSales' },
    { name: 'group-buy', route: 'groupBuy' },
    { name: 'group', route: 'group', params: { groupId: group.group.groupId } },
    { name: 'group-gone', route: 'group', params: { groupId: 'g-no-such-group' } },
    { name: 'friend-coupon', route: 'friendCoupon', params: { shareId: share.shareId } },
    { name: 'policy-charter', route: 'policy', params: { doc: 'charter' } },
    { name: 'policy-privacy', route: 'policy', params: { doc: 'privacy' } },
  ]
  const memberOnly: Visit[] = [
    { name: 'stored-value', route: 'storedValue' },
    { name: 'card-services', route: 'cardServices' },
    { name: 'profile', route: 'profile' },
    { name: 'tier', route: 'tier' },
    { name: 'coupons', route: 'couponWallet' },
    { name: 'coupon-code', route: 'couponCode', params: { couponId: coupon.couponId } },
    { name: 'orders', route: 'orders' },
    { name: 'order-mall', route: 'order', params: { orderId: mallOrder.order.orderId } },
    { name: 'order-flash', route: 'order', params: { orderId: flashOrder.order.orderId } },
    { name: 'order-group', route: 'order', params: { orderId: group.order.orderId } },
    { name: 'invite', route: 'invite' },
  ]
  const staff: Visit[] = [
    { name: 'staff-home', route: 'staffHome' },
    { name: 'staff-verify', route: 'staffVerify' },
    { name: 'staff-card-service', route: 'staffCardService' },
    { name: 'staff-counter-log', route: 'staffCounterLog' },
    { name: 'staff-redeem-coupon', route: 'staffRedeemCoupon' },
    { name: 'staff-pickup', route: 'staffPickup' },
  ]

  const found = [
    ...(await walk('member', [...consumer, ...memberOnly])),
    ...(await walk('visitor', [{ name: 'join', route: 'join' }, ...consumer, { name: 'order-not-theirs', route: 'order', params: { orderId: mallOrder.order.orderId } }])),
    ...(await walk('clerk', staff)),
    ...(await walk('manager', staff)),
  ]
  expect(found).toEqual([])
})

test('the walk’s patterns catch what they must and pass what people read', () => {
  const caught = (shown: string) => INTERNALS.filter(({ pattern }) => pattern.test(shown)).map(({ what }) => what)
  for (const bad of [
    'CODE_INVALID',
    '单号 purchase:st-li:req_1a2b3c4d',
    '订单号 flash:fs-serum-live:m_00ab12:1',
    '会员 m_0a1b2c3d4e',
    'o_demo_member_linxiaoyu',
    'Network Error',
    '¥undefined',
    'Request failed with status code 500',
  ]) {
    expect(caught(bad).length).toBeGreaterThan(0)
  }
  for (const good of ['剩余支付时间 00:14:50', '2026-12-02 22:42:11', '花漾美妆 · 积分商城', '满200减30', '订单号 20261202772174420945', '会员号 10000001 · 金卡会员', '800 积分 + ¥49.00']) {
    expect(caught(good)).toEqual([])
  }
})
