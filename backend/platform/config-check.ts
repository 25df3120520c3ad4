/**
 * validateConfig: every configuration document an admin edits in the console, checked at once.
 * Unlike loading (which stops at the first bad document), this reports every problem of every
 * document, each with its collection, document id and field.
 */
import type { z } from 'zod'
import type { ConfigProblem } from '../../domain/contract'
import { brandSchema, cardTypeProblems, giftsSchema, cardTypeSchema, pointRulesSchema, storedValueSchema, tierProblems, tierSchema } from '../../domain/shared/config'
import { couponTemplateSchema } from '../../domain/coupons'
import { flashSaleSchema, groupCampaignSchema } from '../../domain/promo'
import { productSchema } from '../../domain/mall'
import { database } from '../platform/cloud'

const CONFIG_SCHEMAS: Record<string, z.ZodTypeAny> = {
  brand: brandSchema,
  pointRules: pointRulesSchema,
  storedValue: storedValueSchema,
  gifts: giftsSchema,
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
    db
      .collection('config')
      .where({ _id: db.command.in(Object.keys(CONFIG_SCHEMAS)) })
      .get(),
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
  // The collection rules apply to the tiers that parsed (and to an empty collection).
  if (tierDocs.data.length === 0 || tiers.length > 0) for (const problem of tierProblems(tiers)) problems.push({ collection: 'tiers', ...problem })
  for (const document of cardTypeDocs.data as unknown[]) check(cardTypeSchema, 'card_types', document, problems)
  for (const problem of cardTypeProblems(cardTypeDocs.data as { isDefault?: unknown }[])) problems.push({ collection: 'card_types', ...problem })

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
