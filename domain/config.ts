/**
 * Configuration documents that admins edit in the CloudBase console.
 * Every document is parsed here when loaded; a bad document fails loudly, naming the
 * collection, the document id and the field.
 */
import { z } from 'zod'

const points = z.number().int('must be a whole number of points').min(0, 'must not be negative')

export const pointRulesSchema = z
  .object({
    _id: z.literal('pointRules'),
    join: z.object({ points }).strict(),
    checkin: z.object({ points }).strict(),
    share: z.object({ points, dailyCap: z.number().int().min(0) }).strict(),
    purchase: z.object({ pointsPerYuan: z.number().min(0).max(100) }).strict(),
  })
  .passthrough()
export type PointRules = z.infer<typeof pointRulesSchema>

export const tierSchema = z
  .object({
    _id: z.string().regex(/^[a-z][a-z0-9_-]{1,31}$/, 'must be a short lowercase id'),
    name: z.string().min(1).max(16),
    rank: z.number().int().min(0),
    growthThreshold: z.number().int().min(0),
    /** price paid as a percentage of list price: 95 means 5% off (九五折) */
    discountPercent: z.number().int().min(50).max(100),
    pointsMultiplier: z.number().min(1).max(10),
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

export class ConfigError extends Error {
  constructor(
    readonly collection: string,
    readonly documentId: string,
    readonly issues: { field: string; message: string }[],
  ) {
    super(
      `bad config document ${collection}/${documentId}: ` + issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '),
    )
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

/** Tiers sorted by rank; there must be one, ranks and thresholds must both rise, and the first starts at 0 growth. */
export function parseTiers(documents: unknown[]): Tier[] {
  const tiers = documents.map((document) => parseConfigDocument(tierSchema, 'tiers', document)).sort((a, b) => a.rank - b.rank)
  if (tiers.length === 0) throw new ConfigError('tiers', '(collection)', [{ field: '(collection)', message: 'at least one tier is required' }])
  if (tiers[0].growthThreshold !== 0) {
    throw new ConfigError('tiers', tiers[0]._id, [{ field: 'growthThreshold', message: 'the lowest tier must start at 0' }])
  }
  for (let i = 1; i < tiers.length; i++) {
    if (tiers[i].rank === tiers[i - 1].rank || tiers[i].growthThreshold <= tiers[i - 1].growthThreshold) {
      throw new ConfigError('tiers', tiers[i]._id, [
        { field: 'growthThreshold', message: `must be higher than ${tiers[i - 1]._id}'s, with a distinct rank` },
      ])
    }
  }
  return tiers
}
