/**
 * Demo data of the points mall (积分商城): goods for pickup, goods for delivery, a coupon product
 * issuing the mall-only coupon template below, and a points + cash product. Wired into the demo
 * seed by emulator/seed.ts; every document passes domain/mall.ts's and domain/coupon.ts's schemas.
 */
import { demoImageId } from './demo-images'

/** A coupon only the mall issues (not claimable in the coupon centre). */
export const MALL_COUPON_TEMPLATES = [
  {
    _id: 'mall-cash-20',
    name: '积分兑换 20 元无门槛券',
    kind: 'cash',
    value: 2000,
    threshold: 0,
    validity: { type: 'relative', days: 30 },
    perMemberLimit: 10,
    total: 5000,
    taken: 0,
    usableIn: ['store', 'online'],
    claimable: false,
    onShelf: true,
  },
] as const

export const MALL_PRODUCTS = [
  {
    _id: 'p-lipbalm',
    name: '花漾润唇膏 3.5g',
    kind: 'goods',
    category: '美妆小样',
    image: demoImageId('lip-balm.svg'),
    description: '滋润不黏腻，门店自提。',
    points: 300,
    amount: 0,
    stock: 200,
    sold: 0,
    perMemberLimit: 2,
    visibleTiers: [],
    onShelf: true,
    pinned: true,
    fulfilment: ['pickup'],
  },
  {
    _id: 'p-mask-box',
    name: '补水面膜礼盒（10 片）',
    kind: 'goods',
    category: '护肤',
    image: demoImageId('mask-box.svg'),
    description: '快递到家，付款后 3 个工作日内发货。',
    points: 1200,
    amount: 0,
    stock: 80,
    sold: 0,
    perMemberLimit: 1,
    visibleTiers: [],
    onShelf: true,
    pinned: false,
    fulfilment: ['delivery', 'pickup'],
  },
  {
    _id: 'p-coupon-20',
    name: '20 元无门槛券',
    kind: 'coupon',
    couponTemplateId: 'mall-cash-20',
    category: '优惠券',
    image: demoImageId('coupon.svg'),
    description: '兑换后放入卡包，30 天内门店和线上可用。',
    points: 500,
    amount: 0,
    stock: 1000,
    sold: 0,
    perMemberLimit: 5,
    visibleTiers: [],
    onShelf: true,
    pinned: false,
    fulfilment: [],
  },
  {
    _id: 'p-serum',
    name: '精华液 30ml（积分 + 现金）',
    kind: 'goods',
    category: '护肤',
    image: demoImageId('serum.svg'),
    description: '800 积分 + 49 元，金卡及以上会员专享，门店自提。',
    points: 800,
    amount: 4900,
    stock: 30,
    sold: 0,
    perMemberLimit: 1,
    visibleTiers: ['gold', 'diamond'],
    onShelf: true,
    pinned: false,
    fulfilment: ['pickup'],
  },
] as const

/** The mall's demo collections, to merge into the seed. */
export function mallDemoData(): { products: object[]; coupon_templates: object[] } {
  return {
    products: MALL_PRODUCTS.map((product) => ({ ...product, holds: [] })),
    coupon_templates: MALL_COUPON_TEMPLATES.map((template) => ({ ...template })),
  }
}
