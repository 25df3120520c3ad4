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
  staffHome: 'staff/pages/home/index',
  staffVerify: 'staff/pages/verify/index',
  staffCardService: 'staff/pages/card-service/index',
  staffCounterLog: 'staff/pages/counter-log/index',
} as const

export type RouteName = keyof typeof ROUTES

/** Main package, in order: the first one is the launch page. */
export const MAIN_PAGES: readonly string[] = [ROUTES.card, ROUTES.points, ROUTES.me, ROUTES.join, ROUTES.devLogin]

function subPackage(root: string, routes: readonly string[]) {
  return { root, name: root, pages: routes.map((page) => page.slice(`${root}/`.length)) }
}

/**
 * Subpackages, loaded on first visit so the main package stays small: the member's heavier pages
 * (储值, 卡片服务, 个人资料, 等级) and the staff pages, which only clerks ever open.
 */
export const SUB_PACKAGES: ReadonlyArray<{ root: string; name: string; pages: readonly string[] }> = [
  subPackage('member', [ROUTES.storedValue, ROUTES.cardServices, ROUTES.profile, ROUTES.tier]),
  subPackage('staff', [ROUTES.staffHome, ROUTES.staffVerify, ROUTES.staffCardService, ROUTES.staffCounterLog]),
]

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
