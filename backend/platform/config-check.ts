/**
 * validateConfig: every configuration document an admin edits in the console, checked at once.
 * Unlike loading (which stops at the first bad document), this reports every problem of every
 * document, each with its collection, document id and field.
 */
import type { z } from 'zod'
import type { ConfigProblem } from '../../domain/contract'
import type { CONFIG_COLLECTIONS } from '../../domain/contract'
import { AppError, type FieldIssue } from '../../domain/shared/errors'
import { brandSchema, cardTypeProblems, giftsSchema, cardTypeSchema, pointRulesSchema, retiredKeysIn, storedValueSchema, tierProblems, tierSchema } from '../../domain/shared/config'
import { couponTemplateSchema } from '../../domain/coupons'
import { flashSaleSchema, groupCampaignSchema } from '../../domain/promo'
import { productSchema } from '../../domain/mall'
import { socialConfigSchema } from '../../domain/social'
import { database } from '../platform/cloud'

const CONFIG_SCHEMAS: Record<string, z.ZodTypeAny> = {
  brand: brandSchema,
  pointRules: pointRulesSchema,
  storedValue: storedValueSchema,
  gifts: giftsSchema,
  social: socialConfigSchema,
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
    else {
      parsedConfig[id] = check(schema, 'config', document, problems)
      for (const retired of retiredKeysIn('config', document)) problems.push({ collection: 'config', documentId: id, field: retired.field, message: retired.fix })
    }
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

/** The schema a configuration document is loaded with, by collection (and id, for `config`). */
function schemaOf(collection: (typeof CONFIG_COLLECTIONS)[number], id: string): z.ZodTypeAny | undefined {
  if (collection === 'config') return Object.prototype.hasOwnProperty.call(CONFIG_SCHEMAS, id) ? CONFIG_SCHEMAS[id] : undefined
  if (collection === 'tiers') return tierSchema
  if (collection === 'card_types') return cardTypeSchema
  return CATALOGUE_SCHEMAS[collection]
}

/** `{ $date: ISO }` (how the console's editor writes a date) as a Date, everywhere in a value. */
function reviveDates(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveDates)
  if (typeof value !== 'object' || value === null || value instanceof Date) return value
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  if (keys.length === 1 && keys[0] === '$date' && typeof record.$date === 'string' && !Number.isNaN(Date.parse(record.$date))) return new Date(record.$date)
  return Object.fromEntries(keys.map((key) => [key, reviveDates(record[key])]))
}

/**
 * saveConfig: one configuration document, checked with the schema it is loaded with (and, for
 * tiers, card types and stored value, the rules over its collection with it in place). A problem
 * is CONFIG_INVALID naming each field, and nothing is written.
 */
export async function saveConfigDocument(collection: (typeof CONFIG_COLLECTIONS)[number], raw: Record<string, unknown>): Promise<{ collection: string; documentId: string }> {
  const document = reviveDates(raw) as Record<string, unknown> & { _id: string }
  const schema = schemaOf(collection, document._id)
  if (!schema) throw new AppError('CONFIG_INVALID', `config/${document._id} 不是可配置的文档`, [{ path: '_id', message: `must be one of ${Object.keys(CONFIG_SCHEMAS).join(', ')}` }])
  const fields: FieldIssue[] = []
  const parsed = schema.safeParse(document)
  if (!parsed.success) for (const issue of parsed.error.issues) fields.push({ path: issue.path.join('.') || '(document)', message: issue.message })
  for (const retired of retiredKeysIn(collection, document)) fields.push({ path: retired.field, message: retired.fix })
  if (parsed.success) fields.push(...(await collectionRules(collection, document)))
  if (fields.length > 0) throw new AppError('CONFIG_INVALID', `${collection}/${document._id} 有 ${fields.length} 处配置错误，未保存`, fields)
  const { _id, ...rest } = document
  await database().collection(collection).doc(_id).set(rest)
  return { collection, documentId: _id }
}

async function collectionRules(collection: string, document: Record<string, unknown> & { _id: string }): Promise<FieldIssue[]> {
  if (collection === 'config' && document._id === 'storedValue' && Number(document.minAmount) > Number(document.maxAmount)) return [{ path: 'maxAmount', message: 'must not be below minAmount' }]
  if (collection !== 'tiers' && collection !== 'card_types') return []
  const { data } = await database().collection(collection).limit(1000).get()
  const others = (data as { _id: string }[]).filter((one) => one._id !== document._id)
  const problems = collection === 'tiers' ? tierProblems([...others, document] as Parameters<typeof tierProblems>[0]) : cardTypeProblems([...others, document] as { isDefault?: unknown }[])
  return problems.map((problem) => ({
    path: problem.field,
    message: problem.documentId === document._id || problem.documentId === '(collection)' ? problem.message : `${problem.documentId}: ${problem.message}`,
  }))
}
