import { z } from 'zod'
import { SCENE_PATTERN } from './scene'

/** A client-generated id that makes a mutating call safe to retry: send the same one again on retry. */
export const requestIdSchema = z
  .string()
  .min(8, 'requestId must be at least 8 characters')
  .max(64, 'requestId must be at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'requestId may contain only letters, digits, _ and -')

export { SCENE_PATTERN }

export const sceneSchema = z.string().regex(SCENE_PATTERN, 'scene must be c.<code>, s.<code> or a channel id (letters, digits, _ and -), at most 32 characters')

/**
 * Every number in the contract has explicit bounds fit for its meaning (tests/domain/contract-bounds
 * walks the whole contract): otherwise `1e308` and `2^53 + 2` arrive, and an unbounded instant
 * becomes an invalid date and an INTERNAL error instead of INVALID_ARGUMENT naming the field.
 */

/** Money is integer fen: 1800 is ¥18.00. */
export const FEN_MAX = 100_000_000
export const fenSchema = z.number().int('must be whole fen').positive('must be more than zero').max(FEN_MAX, 'must be at most ¥1,000,000')

/** The most points one grant or adjustment may move. */
export const POINTS_MAX = 10_000_000

/** Instants, in ms since the epoch, from 2000-01-01 to 2100-01-01 (UTC). */
export const INSTANT_MIN_MS = Date.UTC(2000, 0, 1)
export const INSTANT_MAX_MS = Date.UTC(2100, 0, 1)
export const instantMsSchema = z
  .number()
  .int('must be whole milliseconds')
  .min(INSTANT_MIN_MS, 'must be an instant in ms after 2000-01-01')
  .max(INSTANT_MAX_MS, 'must be an instant in ms before 2100-01-01')

export const mainlandPhoneSchema = z.string().regex(/^1\d{10}$/, 'must be an 11-digit mainland mobile number')

export const pageSchema = z
  .object({
    limit: z.number().int().min(1).max(50).default(20),
    /** page by createdAt: entries strictly older than this instant (ms) */
    before: instantMsSchema.optional(),
  })
  .strict()

export const empty = z.object({}).strict()

/** 支付密码 given with an online payment from stored value (needed above the brand's amount) */
export const payPasswordSchema = z.string().regex(/^\d{6}$/, 'six digits')
