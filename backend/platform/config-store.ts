/**
 * Loads the configuration collections, validated, and keeps them for a short while in the
 * warm function instance so hot paths do not pay a read for them on every call.
 */
import {
  brandSchema,
  giftsSchema,
  parseCardTypes,
  parseConfigDocument,
  parseTiers,
  pointRulesSchema,
  storedValueSchema,
  type Brand,
  type CardType,
  type Gifts,
  type PointRules,
  type StoredValueRules,
  type Tier,
} from '../../domain/shared/config'
import { socialConfigSchema, type SocialConfig } from '../../domain/social'
import { database } from './cloud'

export interface LoyaltyConfig {
  brand: Brand
  rules: PointRules
  tiers: Tier[]
  storedValue: StoredValueRules
  gifts: Gifts
  cardTypes: CardType[]
  social: SocialConfig
}

/** Collections and documents the configuration is read from (all validated on load). */
export const CONFIG_DOCUMENT_IDS = ['brand', 'pointRules', 'storedValue', 'gifts', 'social'] as const

const CACHE_MS = 30_000
let cached: { at: number; value: Promise<LoyaltyConfig> } | undefined

async function load(): Promise<LoyaltyConfig> {
  const db = database()
  const [configDocs, tierDocs, cardTypeDocs] = await Promise.all([
    db
      .collection('config')
      .where({ _id: db.command.in([...CONFIG_DOCUMENT_IDS]) })
      .get(),
    db.collection('tiers').limit(100).get(),
    db.collection('card_types').limit(100).get(),
  ])
  const byId = new Map((configDocs.data as { _id: string }[]).map((doc) => [doc._id, doc]))
  return {
    brand: parseConfigDocument(brandSchema, 'config', byId.get('brand') ?? { _id: 'brand' }),
    rules: parseConfigDocument(pointRulesSchema, 'config', byId.get('pointRules') ?? { _id: 'pointRules' }),
    tiers: parseTiers(tierDocs.data as unknown[]),
    storedValue: parseConfigDocument(storedValueSchema, 'config', byId.get('storedValue') ?? { _id: 'storedValue' }),
    gifts: parseConfigDocument(giftsSchema, 'config', byId.get('gifts') ?? { _id: 'gifts' }),
    cardTypes: parseCardTypes(cardTypeDocs.data as unknown[]),
    social: parseConfigDocument(socialConfigSchema, 'config', byId.get('social') ?? { _id: 'social' }),
  }
}

export function loyaltyConfig(now = Date.now()): Promise<LoyaltyConfig> {
  if (!cached || now - cached.at > CACHE_MS) {
    const value = load()
    cached = { at: now, value }
    value.catch(() => {
      if (cached?.value === value) cached = undefined
    })
  }
  return cached.value
}
