import { z } from 'zod'

/** A client-generated id that makes a mutating call safe to retry: send the same one again on retry. */
export const requestIdSchema = z
  .string()
  .min(8, 'requestId must be at least 8 characters')
  .max(64, 'requestId must be at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'requestId may contain only letters, digits, _ and -')

/** WeChat passes at most 32 visible characters of `scene`; ours are short channel ids. */
export const sceneSchema = z
  .string()
  .min(1)
  .max(32, 'scene must be at most 32 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'scene may contain only letters, digits, _ and -')

/** Money is integer fen: 1800 is ¥18.00. */
export const fenSchema = z.number().int('must be whole fen').positive('must be more than zero').max(100_000_000, 'must be at most ¥1,000,000')

export const mainlandPhoneSchema = z.string().regex(/^1\d{10}$/, 'must be an 11-digit mainland mobile number')

export const pageSchema = z
  .object({
    limit: z.number().int().min(1).max(50).default(20),
    /** page by createdAt: entries strictly older than this instant (ms) */
    before: z.number().int().positive().optional(),
  })
  .strict()

export const empty = z.object({}).strict()
