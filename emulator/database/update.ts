/**
 * Update semantics: operators are applied by mingo's updater, one operator at a time (it
 * accepts one per call), on a deep copy of the stored document.
 */
import { randomBytes } from 'node:crypto'
import { update as mingoUpdate } from 'mingo'
import { EmulatorError } from '../errors'
import { cloneValue, encode, isPlainObject, type Doc } from './ejson'
import { mingoContext } from './query'

const UPDATE_OPERATORS = new Set(['$set', '$unset', '$inc', '$mul', '$max', '$min', '$rename', '$push', '$pop', '$pull', '$pullAll', '$addToSet', '$currentDate', '$bit'])

export function newId(): string {
  return randomBytes(16).toString('hex')
}

/** Normalises an update: `{$op: {...}}` stays; a document without operators means `$set` of its fields. */
export function normaliseUpdate(data: Doc): Doc {
  const keys = Object.keys(data)
  const operators = keys.filter((key) => key.startsWith('$'))
  if (operators.length === 0) return keys.length ? { $set: data } : {}
  if (operators.length !== keys.length) {
    throw new EmulatorError('INVALID_PARAM', 'update mixes operators and plain fields')
  }
  for (const operator of operators) {
    if (!UPDATE_OPERATORS.has(operator)) throw new EmulatorError('DATABASE_REQUEST_FAILED', `unsupported update operator ${operator}`)
    if (!isPlainObject(data[operator])) throw new EmulatorError('INVALID_PARAM', `${operator} needs an object`)
  }
  return data
}

function touchesId(update: Doc): boolean {
  return Object.entries(update).some(([operator, fields]) => {
    const paths = Object.keys(fields as Doc)
    if (operator === '$rename') paths.push(...Object.values(fields as Doc).map(String))
    return paths.some((path) => path === '_id' || path.startsWith('_id.'))
  })
}

/** Applies a normalised update to a copy of `doc`; returns the new document. */
export function applyUpdate(doc: Doc, update: Doc): Doc {
  if (touchesId(update)) {
    throw new EmulatorError('DATABASE_REQUEST_FAILED', "Performing an update on the path '_id' would modify the immutable field '_id'")
  }
  const next = cloneValue(doc)
  for (const [operator, fields] of Object.entries(update)) {
    try {
      mingoUpdate(next, { [operator]: fields } as never, [], undefined, {
        cloneMode: 'deep',
        queryOptions: { context: mingoContext },
      })
    } catch (error) {
      throw new EmulatorError('DATABASE_REQUEST_FAILED', `${operator} failed: ${(error as Error).message}`)
    }
  }
  return next
}

/** Replacement (`doc().set()`, merge:false): the new content with the old `_id`. */
export function replaceDocument(id: unknown, data: Doc): Doc {
  if ('_id' in data && encode({ v: data._id }) !== encode({ v: id })) {
    throw new EmulatorError('DATABASE_REQUEST_FAILED', "the (immutable) field '_id' was found to have been altered")
  }
  const { _id: _ignored, ...rest } = cloneValue(data)
  return { _id: id, ...rest }
}

function setPath(target: Doc, path: string, value: unknown): void {
  const parts = path.split('.')
  let node = target
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {}
    node = node[part] as Doc
  }
  node[parts[parts.length - 1]] = cloneValue(value)
}

/** The document an upsert starts from: the query's equality conditions (Mongo does the same). */
export function upsertSeed(query: Doc): Doc {
  const seed: Doc = {}
  const visit = (clause: Doc) => {
    for (const [field, condition] of Object.entries(clause)) {
      if (field === '$and' && Array.isArray(condition)) {
        for (const member of condition) if (isPlainObject(member)) visit(member)
        continue
      }
      if (field.startsWith('$')) continue
      if (isPlainObject(condition) && Object.keys(condition).some((key) => key.startsWith('$'))) {
        if ('$eq' in condition) setPath(seed, field, condition.$eq)
        continue
      }
      if (condition instanceof RegExp) continue
      setPath(seed, field, condition)
    }
  }
  visit(query)
  return seed
}

/** True when two documents encode identically (used to count only real modifications). */
export function sameDocument(a: Doc, b: Doc): boolean {
  return encode(a) === encode(b)
}
