import fc from 'fast-check'
import { ConfigError } from '../../../domain/shared/config'
import { couponTemplateSchema } from '../../../domain/coupons/coupon'
import { AppError } from '../../../domain/shared/errors'
import {
  catalogue,
  fulfilmentFor,
  holdAction,
  isVisibleTo,
  limitDocId,
  limitEntryAction,
  mallOrderId,
  ORPHAN_GRACE_MS,
  parseProduct,
  payMethodFor,
  priceOf,
  withinLimit,
  type Product,
} from '../../../domain/mall/mall'
import { formatAddress } from '../../../domain/orders'
import { mallDemoData, MALL_COUPON_TEMPLATES } from '../../../emulator/seed-mall'

const base = {
  _id: 'p-test',
  name: '润唇膏',
  kind: 'goods',
  category: '美妆',
  description: '',
  points: 300,
  amount: 0,
  stock: 10,
  sold: 0,
  perMemberLimit: 2,
  visibleTiers: [],
  onShelf: true,
  pinned: false,
  fulfilment: ['pickup'],
}

function product(overrides: Record<string, unknown> = {}): Product {
  return parseProduct({ ...base, ...overrides })
}

function configIssues(document: unknown): { documentId: string; fields: string[] } {
  try {
    parseProduct(document)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    expect(error.collection).toBe('products')
    return { documentId: error.documentId, fields: error.issues.map((issue) => issue.field) }
  }
  throw new Error('expected a ConfigError')
}

describe('product documents are validated on load, naming the document and the field', () => {
  test('the demo products and the mall coupon template are valid', () => {
    for (const document of mallDemoData().products) expect(() => parseProduct(document)).not.toThrow()
    for (const template of MALL_COUPON_TEMPLATES) expect(couponTemplateSchema.safeParse(template).success).toBe(true)
    const coupon = mallDemoData()
      .products.map(parseProduct)
      .find((entry) => entry.kind === 'coupon')
    expect(MALL_COUPON_TEMPLATES.map((template) => template._id)).toContain(coupon?.couponTemplateId)
  })

  test('defaults: no image, visible to all, not pinned, no holds', () => {
    const parsed = parseProduct({ ...base, visibleTiers: undefined, pinned: undefined, sold: undefined })
    expect(parsed).toMatchObject({ image: null, visibleTiers: [], pinned: false, sold: 0, holds: [], couponTemplateId: null })
  })

  test('negative stock, fractional points and a missing shelf flag name their fields', () => {
    expect(configIssues({ ...base, _id: 'p-bad', stock: -1 })).toEqual({ documentId: 'p-bad', fields: ['stock'] })
    expect(configIssues({ ...base, points: 1.5 }).fields).toEqual(['points'])
    expect(configIssues({ ...base, onShelf: undefined }).fields).toEqual(['onShelf'])
    expect(configIssues({ ...base, perMemberLimit: 0 }).fields).toEqual(['perMemberLimit'])
    expect(configIssues({ ...base, fulfilment: ['courier'] }).fields).toEqual(['fulfilment.0'])
  })

  test('a coupon product must name its template; goods must say how they reach the member; nothing is free', () => {
    expect(configIssues({ ...base, kind: 'coupon', fulfilment: [] }).fields).toEqual(['couponTemplateId'])
    expect(configIssues({ ...base, couponTemplateId: 'tpl' }).fields).toEqual(['couponTemplateId'])
    expect(configIssues({ ...base, fulfilment: [] }).fields).toEqual(['fulfilment'])
    expect(configIssues({ ...base, points: 0, amount: 0 }).fields).toEqual(['points'])
    expect(configIssues({ ...base, _id: 'has space' })).toEqual({ documentId: 'has space', fields: ['_id'] })
  })
})

describe('the shelf a member sees', () => {
  const shelf = [
    product({ _id: 'p-a', points: 500, category: '护肤' }),
    product({ _id: 'p-b', points: 100, category: '美妆' }),
    product({ _id: 'p-c', points: 900, pinned: true, category: '护肤' }),
    product({ _id: 'p-gold', points: 50, visibleTiers: ['gold', 'diamond'], category: '专享' }),
    product({ _id: 'p-off', points: 10, onShelf: false, category: '下架' }),
  ]

  test('pinned first, then by points; off-shelf and other tiers’ products are not listed', () => {
    expect(catalogue(shelf, 'silver').products.map((entry) => entry.productId)).toEqual(['p-c', 'p-b', 'p-a'])
    expect(catalogue(shelf, 'gold').products.map((entry) => entry.productId)).toEqual(['p-c', 'p-gold', 'p-b', 'p-a'])
    expect(catalogue(shelf, null).products.map((entry) => entry.productId)).toEqual(['p-c', 'p-b', 'p-a'])
  })

  test('categories are those the member may see, whichever category is picked', () => {
    expect(catalogue(shelf, 'silver', '护肤')).toMatchObject({ categories: ['护肤', '美妆'] })
    expect(catalogue(shelf, 'silver', '护肤').products.map((entry) => entry.productId)).toEqual(['p-c', 'p-a'])
    expect(catalogue(shelf, 'diamond').categories).toEqual(['护肤', '专享', '美妆'])
  })

  test('visibility: an empty tier list means everyone; otherwise only the listed tiers', () => {
    expect(isVisibleTo({ visibleTiers: [] }, null)).toBe(true)
    expect(isVisibleTo({ visibleTiers: ['gold'] }, 'gold')).toBe(true)
    expect(isVisibleTo({ visibleTiers: ['gold'] }, 'silver')).toBe(false)
    expect(isVisibleTo({ visibleTiers: ['gold'] }, null)).toBe(false)
  })
})

describe('price, limit and ids', () => {
  test('the price of a quantity is the unit price times the quantity, in whole points and fen', () => {
    expect(priceOf({ points: 800, amount: 4900 }, 3)).toEqual({ points: 2400, amount: 14700 })
    expect(() => priceOf({ points: 1, amount: 0 }, 0)).toThrow(AppError)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 10 }), (points, amount, quantity) => {
        const price = priceOf({ points, amount }, quantity)
        return Number.isInteger(price.points) && Number.isInteger(price.amount) && price.points === points * quantity && price.amount === amount * quantity
      }),
    )
  })

  test('the per-member limit counts the units held plus the quantity asked for', () => {
    expect(withinLimit(0, 2, 2)).toBe(true)
    expect(withinLimit(1, 2, 2)).toBe(false)
    expect(withinLimit(2, 1, 2)).toBe(false)
    fc.assert(fc.property(fc.nat(50), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 50 }), (held, quantity, limit) => withinLimit(held, quantity, limit) === held + quantity <= limit))
  })

  test('an exchange’s order id comes from the member and the request id only', () => {
    expect(mallOrderId('m_1', 'req_abc12345')).toBe('mall:m_1:req_abc12345')
    expect(mallOrderId('m_1', 'req_abc12345')).toBe(mallOrderId('m_1', 'req_abc12345'))
    expect(limitDocId('p-a', 'm_1')).toBe('p-a:m_1')
  })
})

describe('fulfilment and payment method', () => {
  const addresses = [{ id: 'a1', name: '林小雨', phone: '13800000000', region: '上海市 静安区', detail: '南京西路 1515 号', isDefault: true }]
  const lookups = { storeExists: (id: string) => id === 's-jingan', addresses }

  test('pickup in a store that exists; delivery to an address in the member’s book, formatted', () => {
    expect(fulfilmentFor({ kind: 'goods', fulfilment: ['pickup'] }, { type: 'pickup', storeId: 's-jingan' }, lookups)).toEqual({
      type: 'pickup',
      storeId: 's-jingan',
      collectedAt: null,
      staffId: null,
    })
    expect(fulfilmentFor({ kind: 'goods', fulfilment: ['delivery'] }, { type: 'delivery', addressId: 'a1' }, lookups)).toEqual({
      type: 'delivery',
      address: formatAddress(addresses[0]),
      carrier: null,
      trackingNo: null,
      shippedAt: null,
    })
    expect(formatAddress(addresses[0])).toBe('林小雨 13800000000 上海市 静安区 南京西路 1515 号')
  })

  test('refusals: unknown store, unknown address, a way the product does not offer, none chosen, fulfilment for a coupon', () => {
    const code = (fn: () => unknown) => {
      try {
        fn()
      } catch (error) {
        return (error as AppError).code
      }
      return 'none'
    }
    expect(code(() => fulfilmentFor({ kind: 'goods', fulfilment: ['pickup'] }, { type: 'pickup', storeId: 's-nowhere' }, lookups))).toBe('NOT_FOUND')
    expect(code(() => fulfilmentFor({ kind: 'goods', fulfilment: ['delivery'] }, { type: 'delivery', addressId: 'a9' }, lookups))).toBe('NOT_FOUND')
    expect(code(() => fulfilmentFor({ kind: 'goods', fulfilment: ['pickup'] }, { type: 'delivery', addressId: 'a1' }, lookups))).toBe('FAILED_PRECONDITION')
    expect(code(() => fulfilmentFor({ kind: 'goods', fulfilment: ['pickup'] }, undefined, lookups))).toBe('INVALID_ARGUMENT')
    expect(code(() => fulfilmentFor({ kind: 'coupon', fulfilment: [] }, { type: 'pickup', storeId: 's-jingan' }, lookups))).toBe('INVALID_ARGUMENT')
    expect(fulfilmentFor({ kind: 'coupon', fulfilment: [] }, undefined, lookups)).toBeNull()
  })

  test('points-only products pay in points; a cash part needs stored value or WeChat Pay', () => {
    expect(payMethodFor({ amount: 0 }, undefined)).toBe('points')
    expect(payMethodFor({ amount: 0 }, 'wechat')).toBe('points')
    expect(payMethodFor({ amount: 4900 }, 'balance')).toBe('balance')
    expect(payMethodFor({ amount: 4900 }, 'wechat')).toBe('wechat')
    expect(() => payMethodFor({ amount: 4900 }, undefined)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', reason: 'PAY_METHOD_REQUIRED' }))
  })
})

describe('what happens to the marks of an exchange that may have died', () => {
  const now = new Date('2026-06-01T10:00:00Z')
  const young = new Date(now.getTime() - ORPHAN_GRACE_MS + 1000)
  const old = new Date(now.getTime() - ORPHAN_GRACE_MS)
  const live = { status: 'created' as const, abandoned: false, stockAttempt: 'h1' }

  test('a hold bound to its order is settled; one the order does not own is released; a missing order is waited for, then abandoned', () => {
    expect(holdAction(live, { attempt: 'h1', at: old }, now)).toBe('settle')
    expect(holdAction({ ...live, status: 'cancelled' }, { attempt: 'h1', at: old }, now)).toBe('settle') // closing the order gives its stock back, not the hold
    expect(holdAction(live, { attempt: 'h2', at: young }, now)).toBe('release')
    expect(holdAction({ status: 'cancelled', abandoned: true, stockAttempt: null }, { attempt: 'h1', at: young }, now)).toBe('release')
    expect(holdAction(null, { attempt: 'h1', at: young }, now)).toBe('keep')
    expect(holdAction(null, { attempt: 'h1', at: old }, now)).toBe('abandon')
  })

  test('a limit entry counts while its order may be live; freed when the order is over or abandoned', () => {
    expect(limitEntryAction(live, old, now)).toBe('keep')
    expect(limitEntryAction({ ...live, status: 'paid' }, old, now)).toBe('keep')
    expect(limitEntryAction({ ...live, status: 'fulfilled' }, old, now)).toBe('keep')
    expect(limitEntryAction({ ...live, status: 'cancelled' }, young, now)).toBe('free')
    expect(limitEntryAction({ ...live, status: 'refunded' }, young, now)).toBe('free')
    expect(limitEntryAction({ status: 'cancelled', abandoned: true, stockAttempt: null }, young, now)).toBe('free')
    expect(limitEntryAction(null, young, now)).toBe('keep')
    expect(limitEntryAction(null, old, now)).toBe('abandon')
  })
})
