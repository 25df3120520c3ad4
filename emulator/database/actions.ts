/**
 * The `database.*` actions of the CloudBase admin protocol, one plain function each,
 * registered by action name. Each returns the reply body (without requestId) or throws
 * EmulatorError. Request/response shapes follow the wire reference (§3 and its captures).
 */
import { EmulatorError } from '../errors'
import { cloneValue, decode, decodeObject, decodeQuery, encode, isPlainObject, toNativeRegExps, type Doc } from './ejson'
import { optionalBoolean, optionalCount, optionalString, queryType, requireString, type Params } from './params'
import { aggregate, page, pageFromSortedIndex } from './query'
import type { Store } from './store'
import type { Transactions } from './transactions'
import { applyUpdate, newId, normaliseUpdate, replaceDocument, sameDocument, upsertSeed } from './update'
import { DirectView, type View, type Write } from './view'

export const DEFAULT_LIMIT = 100
export const MAX_LIMIT = 1000

export interface ActionContext {
  store: Store
  transactions: Transactions
  direct: DirectView
}

type Reply = Record<string, unknown>
export type DatabaseAction = (ctx: ActionContext, params: Params) => Reply

/** The view an action works on: the transaction's overlay when `transactionId` is given. */
function viewFor(ctx: ActionContext, params: Params): View {
  const transactionId = optionalString(params, 'transactionId')
  return transactionId ? ctx.transactions.view(transactionId) : ctx.direct
}

/** query + queryType; a DOC query must name an `_id`. */
function readQuery(params: Params): { type: 'DOC' | 'WHERE'; query: Doc } {
  const type = queryType(params)
  const query = decodeQuery(params.query)
  if (type === 'DOC' && !('_id' in query)) throw new EmulatorError('INVALID_PARAM', 'a DOC query needs an _id')
  return { type, query }
}

function readOrder(params: Params): Doc | undefined {
  if (params.order === undefined || params.order === null || params.order === '') return undefined
  const order = decodeObject(params.order, 'order')
  for (const [field, direction] of Object.entries(order)) {
    if (direction !== 1 && direction !== -1) throw new EmulatorError('INVALID_PARAM', `order of ${field} must be 1 or -1`)
  }
  return order
}

function readUpdateData(params: Params): Doc {
  if (params.data === undefined) throw new EmulatorError('INVALID_PARAM', 'data is required')
  return decodeObject(params.data, 'data')
}

const addCollection: DatabaseAction = (ctx, params) => {
  const name = requireString(params, 'collectionName')
  // Creating an existing collection is accepted (idempotent); the real service's answer is not known.
  if (!ctx.store.collection(name)) ctx.store.commit([{ c: name }])
  return { data: {} }
}

const insertDocument: DatabaseAction = (ctx, params) => {
  const collection = requireString(params, 'collectionName')
  const data = params.data
  if (!Array.isArray(data) || data.length === 0) throw new EmulatorError('INVALID_PARAM', 'data must be a non-empty array of EJSON strings')
  const writes: Write[] = data.map((text, i) => {
    const doc = decodeObject(text, `data[${i}]`)
    const id = doc._id ?? newId()
    return { collection, id, doc: '_id' in doc ? doc : { _id: id, ...doc }, insert: true }
  })
  viewFor(ctx, params).write(writes)
  return { data: { insertedIds: writes.map((write) => write.id) } }
}

const getDocument: DatabaseAction = (ctx, params) => {
  const collection = requireString(params, 'collectionName')
  const { type, query } = readQuery(params)
  const order = readOrder(params)
  const projection = params.projection ? decodeObject(params.projection, 'projection') : undefined
  const offset = optionalCount(params, 'offset') ?? 0
  const requested = optionalCount(params, 'limit')
  const limit = type === 'WHERE' ? Math.min(requested || DEFAULT_LIMIT, MAX_LIMIT) : undefined
  const view = viewFor(ctx, params)
  // Outside a transaction, an ordered page may come straight from a sorted index (no total then:
  // counting would mean matching everything, and the SDK's callers read counts from count()).
  const walked = view === ctx.direct ? pageFromSortedIndex(ctx.store.collection(collection), query, { order, offset, limit, projection }) : undefined
  if (walked) return { data: { list: walked.map(encode) }, ...(limit === undefined ? {} : { limit }), offset }
  const matched = view.match(collection, query)
  const docs = page(matched, { order, offset, limit, projection })
  return {
    data: { list: docs.map(encode) },
    total: matched.length,
    ...(limit === undefined ? {} : { limit }),
    offset,
  }
}

const calculateDocument: DatabaseAction = (ctx, params) => {
  const collection = requireString(params, 'collectionName')
  const { query } = readQuery(params)
  const view = viewFor(ctx, params)
  const total = view === ctx.direct && Object.keys(query).length === 0 ? (ctx.store.collection(collection)?.size ?? 0) : view.match(collection, query).length
  return { data: { total } }
}

/** Shared by modifyDocument and modifyAndReturnDoc: returns the matched/new documents. */
function modify(ctx: ActionContext, params: Params, multi: boolean, merge: boolean, upsert: boolean) {
  const collection = requireString(params, 'collectionName')
  const { query } = readQuery(params)
  const data = readUpdateData(params)
  if (!merge && Object.keys(data).some((key) => key.startsWith('$'))) {
    throw new EmulatorError('INVALID_PARAM', 'a replacement (merge: false) cannot contain update operators')
  }
  const update = merge ? normaliseUpdate(data) : {}
  const next = (doc: Doc) => (merge ? applyUpdate(doc, update) : replaceDocument(doc._id, data))
  const view = viewFor(ctx, params)
  const matched = view.match(collection, query)
  const targets = multi ? matched : matched.slice(0, 1)
  if (targets.length === 0 && upsert) {
    const { _id: seedId, ...seed } = upsertSeed(query)
    const id = seedId ?? newId()
    const doc = merge ? applyUpdate({ _id: id, ...seed }, update) : replaceDocument(id, data)
    view.write([{ collection, id, doc, insert: true }])
    return { updated: 0, upsertId: id, docs: [doc] }
  }
  const writes: Write[] = []
  const docs: Doc[] = []
  for (const doc of targets) {
    const changed = next(doc)
    docs.push(changed)
    if (!sameDocument(doc, changed)) writes.push({ collection, id: doc._id, doc: changed })
  }
  if (writes.length) view.write(writes)
  return { updated: writes.length, upsertId: undefined, docs }
}

const modifyDocument: DatabaseAction = (ctx, params) => {
  const type = queryType(params)
  const multi = optionalBoolean(params, 'multi', type === 'WHERE')
  const merge = optionalBoolean(params, 'merge', true)
  const upsert = optionalBoolean(params, 'upsert', false)
  const result = modify(ctx, params, multi, merge, upsert)
  return { data: result.upsertId === undefined ? { updated: result.updated } : { updated: 0, upsert_id: result.upsertId } }
}

const modifyAndReturnDoc: DatabaseAction = (ctx, params) => {
  const result = modify(ctx, params, false, true, false)
  const doc = result.docs[0]
  return { data: doc ? { updated: result.updated, doc: encode(doc) } : { updated: 0 } }
}

const removeDocument: DatabaseAction = (ctx, params) => {
  const collection = requireString(params, 'collectionName')
  const { type, query } = readQuery(params)
  const multi = optionalBoolean(params, 'multi', type === 'WHERE')
  const view = viewFor(ctx, params)
  const matched = view.match(collection, query)
  const targets = multi ? matched : matched.slice(0, 1)
  view.write(targets.map((doc) => ({ collection, id: doc._id, doc: null })))
  return { data: { deleted: targets.length } }
}

function readPipeline(params: Params): Doc[] {
  const stages = params.stages
  if (!Array.isArray(stages)) throw new EmulatorError('INVALID_PARAM', 'stages must be an array')
  return stages.map((stage, i) => {
    if (!isPlainObject(stage) || typeof stage.stageKey !== 'string' || !stage.stageKey.startsWith('$')) {
      throw new EmulatorError('INVALID_PARAM', `stages[${i}] needs a stageKey like "$match"`)
    }
    return { [stage.stageKey]: toNativeRegExps(decode(stage.stageValue, `stages[${i}].stageValue`)) }
  })
}

const aggregateDocuments: DatabaseAction = (ctx, params) => {
  const collection = requireString(params, 'collectionName')
  const pipeline = readPipeline(params)
  const view = viewFor(ctx, params)
  // A leading $match goes through the planner (indexes); the rest runs in mingo.
  const first = pipeline[0]
  const leadingMatch = first && isPlainObject(first.$match) ? (first.$match as Doc) : undefined
  const source = view.match(collection, leadingMatch ?? {})
  const rest = leadingMatch ? pipeline.slice(1) : pipeline
  const resolve = (name: string) => view.match(name, {}).map(cloneValue)
  const list = rest.length ? aggregate(source, rest, resolve) : source
  return { data: { list: list.map(encode) } }
}

const startTransaction: DatabaseAction = (ctx) => ({ transactionId: ctx.transactions.start() })

const commitTransaction: DatabaseAction = (ctx, params) => {
  ctx.transactions.commit(requireString(params, 'transactionId'))
  return {}
}

const abortTransaction: DatabaseAction = (ctx, params) => {
  ctx.transactions.abort(requireString(params, 'transactionId'))
  return {}
}

export const DATABASE_ACTIONS: Record<string, DatabaseAction> = {
  'database.addCollection': addCollection,
  'database.insertDocument': insertDocument,
  'database.getDocument': getDocument,
  'database.calculateDocument': calculateDocument,
  'database.modifyDocument': modifyDocument,
  'database.modifyAndReturnDoc': modifyAndReturnDoc,
  'database.removeDocument': removeDocument,
  'database.aggregateDocuments': aggregateDocuments,
  'database.startTransaction': startTransaction,
  'database.commitTransaction': commitTransaction,
  'database.abortTransaction': abortTransaction,
}
