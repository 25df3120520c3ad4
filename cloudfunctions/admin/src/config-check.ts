/**
 * validateConfig: every configuration document an admin edits in the console, checked at once.
 * Unlike loading (which stops at the first bad document), this reports every problem of every
 * document, each with its collection, document id and field.
 */
import type { z } from 'zod'
import type { ConfigProblem } from '../../../domain/contract'
import { brandSchema, cardTypeSchema, pointRulesSchema, storedValueSchema, tierSchema } from '../../../domain/config'
import { couponTemplateSchema } from '../../../domain/coupon'
import { flashSaleSchema } from '../../../domain/flash-sale'
import { groupCampaignSchema } from '../../../domain/group-buy'
import { productSchema } from '../../../domain/mall'
import { database } from '../../../backend/cloud'

const CONFIG_SCHEMAS: Record<string, z.ZodTypeAny> = {
  brand: brandSchema,
  pointRules: pointRulesSchema,
  storedValue: storedValueSchema,
}

function idOf(document: unknown): string {
  return typeof document === 'object' && document !== null && '_id' in document ? String((document as { _id: unknown })._id) : '(no _id)'
}

/** Parses one document; its problems go to `problems`; the parsed value when it is good. */
function check<S extends z.ZodTypeAny>(schema: S, collection: string, document: unknown, problems: ConfigProblem[]): z.output<S> | null {
  const result = schema.safeParse(document)
  if (result.success) return result.data
  for (const issue of result.error.issues) {
    problems.push({ collection, documentId: idOf(document), field: issue.path.join('.') || '(document)', message: issue.message })
  }
  return null
}

export async function validateConfig(): Promise<{ ok: boolean; problems: ConfigProblem[] }> {
  const db = database()
  const [configDocs, tierDocs, cardTypeDocs] = await Promise.all([
    db.collection('config').where({ _id: db.command.in(Object.keys(CONFIG_SCHEMAS)) }).get(),
    db.collection('tiers').limit(1000).get(),
    db.collection('card_types').limit(1000).get(),
  ])
  const problems: ConfigProblem[] = []

  const byId = new Map((configDocs.data as { _id: string }[]).map((document) => [document._id, document]))
  const parsedConfig: Record<string, unknown> = {}
  for (const [id, schema] of Object.entries(CONFIG_SCHEMAS)) {
    const document = byId.get(id)
    if (!document) problems.push({ collection: 'config', documentId: id, field: '(document)', message: 'the document is missing' })
    else parsedConfig[id] = check(schema, 'config', document, problems)
  }
  const storedValue = parsedConfig.storedValue as z.output<typeof storedValueSchema> | null | undefined
  if (storedValue && storedValue.minAmount > storedValue.maxAmount) {
    problems.push({ collection: 'config', documentId: 'storedValue', field: 'maxAmount', message: 'must not be below minAmount' })
  }

  const tiers = (tierDocs.data as unknown[]).map((document) => check(tierSchema, 'tiers', document, problems)).filter((tier) => tier !== null)
  if (tierDocs.data.length === 0) {
    problems.push({ collection: 'tiers', documentId: '(collection)', field: '(collection)', message: 'at least one tier is required' })
  }
  tiers.sort((a, b) => a.rank - b.rank)
  if (tiers.length > 0 && tiers[0].growthThreshold !== 0) {
    problems.push({ collection: 'tiers', documentId: tiers[0]._id, field: 'growthThreshold', message: 'the lowest tier must start at 0' })
  }
  for (let i = 1; i < tiers.length; i++) {
    if (tiers[i].rank === tiers[i - 1].rank) {
      problems.push({ collection: 'tiers', documentId: tiers[i]._id, field: 'rank', message: `must differ from ${tiers[i - 1]._id}'s rank` })
    } else if (tiers[i].growthThreshold <= tiers[i - 1].growthThreshold) {
      problems.push({ collection: 'tiers', documentId: tiers[i]._id, field: 'growthThreshold', message: `must be higher than ${tiers[i - 1]._id}'s` })
    }
  }

  for (const document of cardTypeDocs.data as unknown[]) check(cardTypeSchema, 'card_types', document, problems)
  // Counted over every document, good or bad: a bad one marked default is a second default too.
  const defaults = (cardTypeDocs.data as { isDefault?: unknown }[]).filter((document) => document.isDefault === true).length
  if (defaults !== 1) {
    problems.push({ collection: 'card_types', documentId: '(collection)', field: 'isDefault', message: `exactly one card type must be the default (found ${defaults})` })
  }
  for (const [collection, schema] of Object.entries(CATALOGUE_SCHEMAS)) {
    for (let offset = 0; ; offset += 1000) {
      const { data } = await db.collection(collection).skip(offset).limit(1000).get()
      for (const document of data as unknown[]) check(schema, collection, document, problems)
      if (data.length < 1000) break
    }
  }
  return { ok: problems.length === 0, problems }
}

/** Collections of the trade tools whose every document is configuration. */
const CATALOGUE_SCHEMAS: Record<string, z.ZodTypeAny> = {
  coupon_templates: couponTemplateSchema,
  products: productSchema,
  flash_sales: flashSaleSchema,
  group_campaigns: groupCampaignSchema,
}
