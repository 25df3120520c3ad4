/**
 * Wire encoding of the database actions: canonical Extended JSON strings (bson's EJSON).
 *
 * Incoming strings are parsed in relaxed mode (numbers become JS numbers, `$date` a Date),
 * after replacing CloudBase's `{"$tcb_server_date":{"offset":n}}` marker with the server time.
 * Replies are canonical EJSON (`relaxed: false`), which the SDK parses back.
 */
import { BSONRegExp, EJSON } from 'bson'
import { EmulatorError } from '../errors'

export type Doc = Record<string, unknown>

const SERVER_DATE = '$tcb_server_date'

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Reads a raw (still EJSON-encoded) number such as `{"$numberInt":"5"}` or `5`. */
function rawNumber(value: unknown): number {
  if (typeof value === 'number') return value
  if (isPlainObject(value)) {
    const text = value.$numberInt ?? value.$numberLong ?? value.$numberDouble
    if (typeof text === 'string') return Number(text)
  }
  return 0
}

/**
 * The database server's time for `db.serverDate()`: real time, unless the emulator sets its
 * business clock here, so a server date agrees with the `now` the functions are given.
 */
let serverNow: () => number = Date.now

export function useServerClock(now: () => number): void {
  serverNow = now
}

/** Replaces every server-date marker in raw JSON with a canonical `$date` of now + offset. */
function replaceServerDates(raw: unknown, now: number): unknown {
  if (Array.isArray(raw)) return raw.map((item) => replaceServerDates(item, now))
  if (!isPlainObject(raw)) return raw
  const keys = Object.keys(raw)
  if (keys.length === 1 && keys[0] === SERVER_DATE) {
    const marker = raw[SERVER_DATE]
    const offset = isPlainObject(marker) ? rawNumber(marker.offset) : 0
    return { $date: { $numberLong: String(Math.round(now + offset)) } }
  }
  const out: Record<string, unknown> = {}
  for (const key of keys) out[key] = replaceServerDates(raw[key], now)
  return out
}

/** BSONRegExp (what EJSON yields for `$regularExpression`) → a JS RegExp mingo understands. */
export function toNativeRegExps(value: unknown): unknown {
  if (value instanceof BSONRegExp) {
    const flags = [...value.options].filter((flag) => 'imsu'.includes(flag)).join('')
    return new RegExp(value.pattern, flags)
  }
  if (Array.isArray(value)) return value.map(toNativeRegExps)
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value)) out[key] = toNativeRegExps(value[key])
    return out
  }
  return value
}

/** Parses one EJSON string from the wire into plain JS values. `what` names the param for errors. */
export function decode(text: unknown, what: string): unknown {
  if (typeof text !== 'string') throw new EmulatorError('INVALID_PARAM', `${what} must be an EJSON string`)
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new EmulatorError('INVALID_PARAM', `${what} is not valid JSON`)
  }
  try {
    return EJSON.deserialize(replaceServerDates(raw, serverNow()) as Doc, { relaxed: true })
  } catch (error) {
    throw new EmulatorError('INVALID_PARAM', `${what} is not valid EJSON: ${(error as Error).message}`)
  }
}

/** Like `decode` but requires a plain object (documents, queries, update expressions). */
export function decodeObject(text: unknown, what: string): Doc {
  const value = decode(text, what)
  if (!isPlainObject(value)) throw new EmulatorError('INVALID_PARAM', `${what} must encode an object`)
  return value
}

/** Decodes a query: also turns BSONRegExp into RegExp so `$regex`/regex equality works. */
export function decodeQuery(text: unknown, what = 'query'): Doc {
  if (text === undefined || text === null || text === '') return {}
  return toNativeRegExps(decodeObject(text, what)) as Doc
}

/** A stored document → the canonical EJSON string the SDK expects in `data.list`. */
export function encode(doc: unknown): string {
  return EJSON.stringify(doc as Doc, { relaxed: false })
}

/** Canonical EJSON for persistence (Dates, ints and longs survive). */
export const encodeCanonical = encode

/** Parses a persisted canonical EJSON line. */
export function decodePersisted(text: string): unknown {
  return EJSON.parse(text, { relaxed: true })
}

/**
 * A canonical key for equality lookups in indexes: equal values (in the Mongo sense, for the
 * scalar types we index) give equal keys. Returns undefined for values we do not index.
 */
export function valueKey(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return `s:${value}`
    case 'number':
      return Number.isNaN(value) ? 'n:NaN' : `n:${value === 0 ? 0 : value}`
    case 'boolean':
      return `b:${value}`
    case 'object':
      if (value instanceof Date) return `d:${value.getTime()}`
      if (value !== null && (value as { _bsontype?: string })._bsontype === 'ObjectId') {
        return `o:${(value as { toHexString(): string }).toHexString()}`
      }
      return undefined
    default:
      return undefined
  }
}

/** Deep copy of a stored document: plain objects, arrays and Dates are copied; bson values are immutable and shared. */
export function cloneValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneValue) as T
  if (value instanceof Date) return new Date(value.getTime()) as T
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value)) out[key] = cloneValue(value[key])
    return out as T
  }
  return value
}

export { isPlainObject }
