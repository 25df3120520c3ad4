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
  staffHome: 'staff/pages/home/index',
  staffVerify: 'staff/pages/verify/index',
} as const

export type RouteName = keyof typeof ROUTES

/** Main package, in order: the first one is the launch page. */
export const MAIN_PAGES: readonly string[] = [ROUTES.card, ROUTES.points, ROUTES.me, ROUTES.join, ROUTES.devLogin]

/** Subpackages: staff pages are loaded only by clerks, so they stay out of the main package. */
export const SUB_PACKAGES: ReadonlyArray<{ root: string; name: string; pages: readonly string[] }> = [
  {
    root: 'staff',
    name: 'staff',
    pages: [ROUTES.staffHome, ROUTES.staffVerify].map((page) => page.slice('staff/'.length)),
  },
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
