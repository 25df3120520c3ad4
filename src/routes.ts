/**
 * The page list and the tab list, declared once.
 * app.config.ts builds the app's `pages`, `subPackages` and `tabBar` from here,
 * and pages navigate with `routeUrl()` instead of spelling paths by hand.
 */

export const ROUTES = {
  card: 'pages/card/index',
  points: 'pages/points/index',
  me: 'pages/me/index',
  join: 'pages/join/index',
  devLogin: 'pages/dev-login/index',
  storedValue: 'member/pages/stored-value/index',
  cardServices: 'member/pages/card-services/index',
  profile: 'member/pages/profile/index',
  tier: 'member/pages/tier/index',
  policy: 'member/pages/policy/index',
  staffHome: 'staff/pages/home/index',
  staffVerify: 'staff/pages/verify/index',
  staffCardService: 'staff/pages/card-service/index',
  staffCounterLog: 'staff/pages/counter-log/index',
  staffRedeemCoupon: 'staff/pages/redeem-coupon/index',
  staffPickup: 'staff/pages/pickup/index',
  tradeHome: 'trade/pages/home/index',
  couponCentre: 'trade/pages/coupon-centre/index',
  couponWallet: 'trade/pages/coupons/index',
  couponCode: 'trade/pages/coupon-code/index',
  friendCoupon: 'trade/pages/friend-coupon/index',
  mall: 'trade/pages/mall/index',
  product: 'trade/pages/product/index',
  orders: 'trade/pages/orders/index',
  order: 'trade/pages/order/index',
  flashSales: 'trade/pages/flash-sales/index',
  groupBuy: 'trade/pages/group-buy/index',
  group: 'trade/pages/group/index',
  invite: 'trade/pages/invite/index',
} as const

export type RouteName = keyof typeof ROUTES

/** Main package, in order: the first one is the launch page. */
export const MAIN_PAGES: readonly string[] = [ROUTES.card, ROUTES.points, ROUTES.me, ROUTES.join]
/** Pages of the H5 build only: the dev login stands in for WeChat's identity, which the mini-program has. */
export const H5_PAGES: readonly string[] = [ROUTES.devLogin]

function subPackage(root: string, routes: readonly string[]) {
  return { root, name: root, pages: routes.map((page) => page.slice(`${root}/`.length)) }
}

/**
 * Subpackages, loaded on first visit so the main package stays small: the member's heavier pages
 * (储值, 卡片服务, 个人资料, 等级), the trade pages (优惠券, 朋友券, 积分商城, 订单, 秒杀, 拼团, 邀请有礼) and the
 * staff pages, which only clerks ever open.
 */
export const SUB_PACKAGES: ReadonlyArray<{ root: string; name: string; pages: readonly string[] }> = [
  subPackage('member', [ROUTES.storedValue, ROUTES.cardServices, ROUTES.profile, ROUTES.tier, ROUTES.policy]),
  subPackage('trade', [
    ROUTES.tradeHome,
    ROUTES.couponCentre,
    ROUTES.couponWallet,
    ROUTES.couponCode,
    ROUTES.friendCoupon,
    ROUTES.mall,
    ROUTES.product,
    ROUTES.orders,
    ROUTES.order,
    ROUTES.flashSales,
    ROUTES.groupBuy,
    ROUTES.group,
    ROUTES.invite,
  ]),
  subPackage('staff', [ROUTES.staffHome, ROUTES.staffVerify, ROUTES.staffCardService, ROUTES.staffCounterLog, ROUTES.staffRedeemCoupon, ROUTES.staffPickup]),
]

/**
 * Subpackages fetched ahead of the first tap. The card tab (the launch page) links to 储值 and 卡片服务
 * (member) and to 商城·活动 and 优惠券 (trade); 我的 links to orders, coupons and groups.
 */
export const PRELOAD: Readonly<Partial<Record<RouteName, readonly string[]>>> = {
  card: ['member', 'trade'],
  me: ['trade'],
}

export interface TabSpec {
  route: RouteName
  text: string
  /** file name stem under assets/tab/ (`<icon>.png` and `<icon>-active.png`) */
  icon: string
}

export const TABS: readonly TabSpec[] = [
  { route: 'card', text: '会员卡', icon: 'card' },
  { route: 'points', text: '积分', icon: 'points' },
  { route: 'me', text: '我的', icon: 'me' },
]

export function isTabRoute(route: RouteName): boolean {
  return TABS.some((tab) => tab.route === route)
}

/** `/pages/join/index?scene=abc` — query values are URI-encoded; undefined/null/'' are skipped. */
export function routeUrl(route: RouteName, query?: Record<string, string | number | null | undefined>): string {
  const path = `/${ROUTES[route]}`
  if (!query) return path
  const pairs = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== null && entry[1] !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
  return pairs.length ? `${path}?${pairs.join('&')}` : path
}

/**
 * A query value written by routeUrl(), as the page reads it: `useRouter().params` hands values over
 * still URI-encoded (weapp and H5), so `a:b` arrives as `a%3Ab`. '' when absent or malformed.
 */
export function routeParam(params: Record<string, string | undefined>, key: string): string {
  const raw = params[key]
  if (!raw) return ''
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}
