import { H5_PAGES, MAIN_PAGES, PRELOAD, ROUTES, SUB_PACKAGES, TABS, type RouteName } from './routes'

// Keep in sync with $color-tab / $color-brand in styles/tokens.scss (app.json cannot read SCSS).
const TAB_COLOR = '#9A8A90'
const TAB_SELECTED_COLOR = '#9E2F50'

export default defineAppConfig({
  pages: [...MAIN_PAGES, ...(process.env.TARO_ENV === 'h5' ? H5_PAGES : [])],
  subPackages: SUB_PACKAGES.map((pkg) => ({ root: pkg.root, name: pkg.name, pages: [...pkg.pages] })),
  lazyCodeLoading: 'requiredComponents',
  // fetch the subpackages a tab links to while the member looks at it (routes.ts PRELOAD)
  preloadRule: Object.fromEntries((Object.entries(PRELOAD) as [RouteName, readonly string[]][]).map(([route, packages]) => [ROUTES[route], { network: 'all', packages: [...packages] }])),
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#FFFFFF',
    navigationBarTitleText: '花漾美妆会员',
    navigationBarTextStyle: 'black',
    backgroundColor: '#FAF7F8',
  },
  tabBar: {
    color: TAB_COLOR,
    selectedColor: TAB_SELECTED_COLOR,
    backgroundColor: '#FFFFFF',
    borderStyle: 'white',
    list: TABS.map((tab) => ({
      pagePath: ROUTES[tab.route],
      text: tab.text,
      iconPath: `assets/tab/${tab.icon}.png`,
      selectedIconPath: `assets/tab/${tab.icon}-active.png`,
    })),
  },
})
