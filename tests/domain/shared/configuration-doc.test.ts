/** The examples in docs/configuration.md are real: each one passes its collection's schema. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { z } from 'zod'
import { brandSchema, cardTypeSchema, giftsSchema, parseConfigDocument, pointRulesSchema, storedValueSchema, tierSchema } from '../../../domain/shared/config'
import { couponTemplateSchema } from '../../../domain/coupons/coupon'
import { flashSaleSchema } from '../../../domain/promo/flash-sale'
import { groupCampaignSchema } from '../../../domain/promo/group-buy'
import { productSchema } from '../../../domain/mall/mall'
import { socialConfigSchema } from '../../../domain/social/config'

const SCHEMAS: Record<string, z.ZodTypeAny> = {
  'config/brand': brandSchema,
  'config/pointRules': pointRulesSchema,
  'config/storedValue': storedValueSchema,
  'config/gifts': giftsSchema,
  'config/social': socialConfigSchema,
  tiers: tierSchema,
  card_types: cardTypeSchema,
  coupon_templates: couponTemplateSchema,
  products: productSchema,
  flash_sales: flashSaleSchema,
  group_campaigns: groupCampaignSchema,
}

const doc = readFileSync(path.resolve(__dirname, '../../../docs/configuration.md'), 'utf8')
const examples = [...doc.matchAll(/```json ([\w/]+)\n([\s\S]*?)```/g)].map((match) => ({ target: match[1], text: match[2] }))

/** JSON has no dates: ISO strings in date fields stand for the console's 时间 values. */
function revive(value: unknown): unknown {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value)) return new Date(value)
  if (Array.isArray(value)) return value.map(revive)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revive(item)]))
  return value
}

describe('docs/configuration.md', () => {
  test('documents an example for every configuration collection', () => {
    expect(examples.map((example) => example.target).sort()).toEqual(Object.keys(SCHEMAS).sort())
  })

  test.each(examples.map((example) => [example.target, example] as const))('the %s example is valid', (target, example) => {
    const document = revive(JSON.parse(example.text))
    expect(() => parseConfigDocument(SCHEMAS[target], target.split('/')[0], document)).not.toThrow()
  })
})
