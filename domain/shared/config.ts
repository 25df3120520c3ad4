/**
 * Configuration documents that admins edit in the CloudBase console.
 * Every document is parsed here when loaded; a bad document fails loudly, naming the
 * collection, the document id and the field.
 */
import { z } from 'zod'

const points = z.number().int('must be a whole number of points').min(0, 'must not be negative')

/** A picture: a cloud storage file id (cloud://…, handed to pages as a temporary link) or an https link; null shows the placeholder. */
export const imageSchema = z
  .string()
  .max(500)
  .regex(/^(?:cloud|https):\/\//, 'must be a cloud storage file id (cloud://…) or an https link')
  .nullable()
  .default(null)

export const pointRulesSchema = z
  .object({
    _id: z.literal('pointRules'),
    join: z.object({ points, growth: points.default(0) }).strict(),
    checkin: z
      .object({
        points,
        growth: points.default(0),
        /** extra points on every N-th consecutive day */
        streakBonus: z
          .object({ everyDays: z.number().int().min(2).max(366), points })
          .strict()
          .optional(),
      })
      .strict(),
    purchase: z
      .object({
        pointsPerYuan: z.number().min(0).max(100),
        /**
         * a store (or terminal) may earn at its own rate; looked up by store id, so own keys only
         * (no prototype): a store id like `constructor` finds no rate, not Object's constructor
         */
        storeRates: z
          .record(z.string(), z.number().min(0).max(100))
          .default({})
          .transform((rates) => Object.assign(Object.create(null) as Record<string, number>, rates)),
        growthPerYuan: z.number().min(0).max(100).default(1),
      })
      .strict(),
    /** 积分调整 at the counter (store managers): at most this many points added or taken in one adjustment */
    adjustment: z
      .object({ maxPoints: z.number().int().min(1).max(10_000_000) })
      .strict()
      .default({ maxPoints: 5000 }),
    /** endOfNextYear: points earned in 2026 expire at the end of 2027 (Asia/Shanghai) */
    expiry: z
      .object({ policy: z.enum(['endOfNextYear', 'never']) })
      .strict()
      .default({ policy: 'endOfNextYear' }),
  })
  .passthrough()
export type PointRules = z.infer<typeof pointRulesSchema>

/**
 * Keys that configuration once had and no longer means anything: loading ignores them (a brand that
 * has not edited its documents yet keeps working), validateConfig reports each with its fix, and
 * saveConfig refuses a document that still carries one.
 */
export const RETIRED_KEYS: readonly { collection: string; documentId: string; field: string; fix: string }[] = [
  {
    collection: 'config',
    documentId: 'pointRules',
    field: 'behaviours',
    fix: "retired: points for sharing, likes, reads and reviews are no longer claimed by the mini-program (WeChat forbids rewarding a share, and none of them is seen by the server); remove `behaviours` — a friend's outcomes are rewarded under config/social `rewards`, reads and likes return with articles",
  },
]

/** The retired keys a configuration document still carries. */
export function retiredKeysIn(collection: string, document: unknown): { field: string; fix: string }[] {
  if (typeof document !== 'object' || document === null) return []
  const id = (document as { _id?: unknown })._id
  return RETIRED_KEYS.filter((key) => key.collection === collection && key.documentId === id && key.field in document).map(({ field, fix }) => ({ field, fix }))
}

export const tierSchema = z
  .object({
    _id: z.string().regex(/^[a-z][a-z0-9_-]{1,31}$/, 'must be a short lowercase id'),
    name: z.string().min(1).max(16),
    rank: z.number().int().min(0),
    growthThreshold: z.number().int().min(0),
    /** price paid as a percentage of list price: 95 means 5% off (九五折) */
    discountPercent: z.number().int().min(50).max(100),
    pointsMultiplier: z.number().min(1).max(10),
    /** points given on the member's birthday */
    birthdayGiftPoints: z.number().int().min(0).default(0),
  })
  .passthrough()
export type Tier = z.infer<typeof tierSchema>

export const brandSchema = z
  .object({
    _id: z.literal('brand'),
    name: z.string().min(1),
    timeZone: z.string().min(1),
  })
  .passthrough()
export type Brand = z.infer<typeof brandSchema>

/** 储值: top-up limits and the bonus rule (recharge 500, get 50), amounts in fen. */
export const storedValueSchema = z
  .object({
    _id: z.literal('storedValue'),
    minAmount: z.number().int().min(1),
    maxAmount: z.number().int().min(1),
    /** the highest rule whose minAmount the top-up reaches gives its bonus */
    bonusRules: z.array(z.object({ minAmount: z.number().int().min(1), bonus: z.number().int().min(0) }).strict()).default([]),
    /** amounts offered as buttons on the top-up page */
    presets: z.array(z.number().int().min(1)).default([]),
    /** online payments from stored value: above `passwordAbove` fen they need the 支付密码; `maxFailures` wrong ones in a row lock it */
    onlinePayment: z
      .object({ passwordAbove: z.number().int().min(0).max(100_000_000), maxFailures: z.number().int().min(3).max(10) })
      .strict()
      .default({ passwordAbove: 20000, maxFailures: 5 }),
  })
  .passthrough()
export type StoredValueRules = z.infer<typeof storedValueSchema>

/** Coupons the system gives: on joining (welcome) and on the member's birthday; null for none. */
export const giftsSchema = z
  .object({
    _id: z.literal('gifts'),
    welcomeCouponTemplateId: z.string().min(1).nullable().default(null),
    birthdayCouponTemplateId: z.string().min(1).nullable().default(null),
  })
  .passthrough()
export type Gifts = z.infer<typeof giftsSchema>

/** 卡种: 个人卡, 家庭卡, 联名卡 ... defined by the brand; exactly one is the default for new members. */
export const cardTypeSchema = z
  .object({
    _id: z.string().regex(/^[a-z][a-z0-9_-]{1,31}$/, 'must be a short lowercase id'),
    name: z.string().min(1).max(16),
    isDefault: z.boolean().default(false),
  })
  .passthrough()
export type CardType = z.infer<typeof cardTypeSchema>

export class ConfigError extends Error {
  constructor(
    readonly collection: string,
    readonly documentId: string,
    readonly issues: { field: string; message: string }[],
  ) {
    super(`bad config document ${collection}/${documentId}: ` + issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '))
    this.name = 'ConfigError'
  }
}

export function parseConfigDocument<S extends z.ZodTypeAny>(schema: S, collection: string, document: unknown): z.output<S> {
  const result = schema.safeParse(document)
  if (result.success) return result.data
  const id = typeof document === 'object' && document !== null && '_id' in document ? String((document as { _id: unknown })._id) : '(no _id)'
  throw new ConfigError(
    collection,
    id,
    result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(document)', message: issue.message })),
  )
}

export interface CollectionProblem {
  documentId: string
  field: string
  message: string
}

/** The rules over the whole tiers collection: one at least, the lowest at 0, ranks and thresholds both rising. */
export function tierProblems(tiers: Pick<Tier, '_id' | 'rank' | 'growthThreshold'>[]): CollectionProblem[] {
  if (tiers.length === 0) return [{ documentId: '(collection)', field: '(collection)', message: 'at least one tier is required' }]
  const sorted = [...tiers].sort((a, b) => a.rank - b.rank)
  const problems: CollectionProblem[] = []
  if (sorted[0].growthThreshold !== 0) problems.push({ documentId: sorted[0]._id, field: 'growthThreshold', message: 'the lowest tier must start at 0' })
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].rank === sorted[i - 1].rank) {
      problems.push({ documentId: sorted[i]._id, field: 'rank', message: `must differ from ${sorted[i - 1]._id}'s rank` })
    } else if (sorted[i].growthThreshold <= sorted[i - 1].growthThreshold) {
      problems.push({ documentId: sorted[i]._id, field: 'growthThreshold', message: `must be higher than ${sorted[i - 1]._id}'s` })
    }
  }
  return problems
}

/** Exactly one card type is the default for new members (counted over every document, good or bad). */
export function cardTypeProblems(documents: { isDefault?: unknown }[]): CollectionProblem[] {
  const defaults = documents.filter((document) => document.isDefault === true).length
  return defaults === 1 ? [] : [{ documentId: '(collection)', field: 'isDefault', message: `exactly one card type must be the default (found ${defaults})` }]
}

function throwFirst(collection: string, problems: CollectionProblem[]): void {
  const [first] = problems
  if (first) throw new ConfigError(collection, first.documentId, [{ field: first.field, message: first.message }])
}

/** Tiers sorted by rank, or a ConfigError naming the first tier that breaks the rules. */
export function parseTiers(documents: unknown[]): Tier[] {
  const tiers = documents.map((document) => parseConfigDocument(tierSchema, 'tiers', document)).sort((a, b) => a.rank - b.rank)
  throwFirst('tiers', tierProblems(tiers))
  return tiers
}

export function parseCardTypes(documents: unknown[]): CardType[] {
  const cardTypes = documents.map((document) => parseConfigDocument(cardTypeSchema, 'card_types', document))
  throwFirst('card_types', cardTypeProblems(cardTypes))
  return cardTypes
}
