/**
 * Every number in every schema of the contract has explicit bounds fit for its meaning.
 * The walk goes through every function and action, recursively through objects, arrays,
 * optionals, defaults, unions, effects and refinements; a schema kind it does not know fails
 * the test, so a new wrapper cannot hide an unbounded number.
 */
import { z } from 'zod'
import { contract, FEN_MAX, INSTANT_MAX_MS, INSTANT_MIN_MS, POINTS_MAX, type ActionSpec } from '../../../domain/contract'

interface NumberFound {
  path: string
  field: string
  int: boolean
  min: number | undefined
  max: number | undefined
}

/**
 * Where the contract takes a value it cannot type (a configuration document of any collection),
 * and the schema that parses it again before anything is written, whose refusals the action answers.
 */
const PARSED_AGAIN = new Map([['admin.saveConfig.document{}', 'the configuration schema of its collection (backend/platform/config-check.ts), the one that loads it']])

/** Schema kinds with no number inside. */
const LEAVES = new Set(['ZodString', 'ZodBoolean', 'ZodEnum', 'ZodNativeEnum', 'ZodLiteral', 'ZodNull', 'ZodUndefined'])

function numbersIn(schema: z.ZodTypeAny, path: string, field: string, found: NumberFound[]): void {
  const def = schema._def as { typeName: string } & Record<string, unknown>
  switch (def.typeName) {
    case 'ZodNumber': {
      const checks = (schema as z.ZodNumber)._def.checks
      const bound = (kind: 'min' | 'max') => {
        const values = checks.filter((check): check is Extract<typeof check, { kind: 'min' | 'max' }> => check.kind === kind).map((check) => check.value)
        return values.length ? (kind === 'min' ? Math.max(...values) : Math.min(...values)) : undefined
      }
      found.push({ path, field, int: checks.some((check) => check.kind === 'int'), min: bound('min'), max: bound('max') })
      return
    }
    case 'ZodObject':
      for (const [key, value] of Object.entries((schema as z.AnyZodObject).shape)) numbersIn(value as z.ZodTypeAny, `${path}.${key}`, key, found)
      if (!(schema as z.AnyZodObject)._def.catchall._def.typeName.startsWith('ZodNever')) numbersIn((schema as z.AnyZodObject)._def.catchall, `${path}.*`, field, found)
      return
    case 'ZodArray':
      return numbersIn((schema as z.ZodArray<z.ZodTypeAny>).element, `${path}[]`, field, found)
    case 'ZodOptional':
    case 'ZodNullable':
      return numbersIn((schema as z.ZodOptional<z.ZodTypeAny>).unwrap(), path, field, found)
    case 'ZodDefault':
      return numbersIn((schema as z.ZodDefault<z.ZodTypeAny>)._def.innerType, path, field, found)
    case 'ZodEffects':
      return numbersIn((schema as z.ZodEffects<z.ZodTypeAny>).innerType(), path, field, found)
    case 'ZodUnion':
    case 'ZodDiscriminatedUnion':
      ;(schema as z.ZodUnion<[z.ZodTypeAny, ...z.ZodTypeAny[]]>).options.forEach((option: z.ZodTypeAny, i: number) => numbersIn(option, `${path}|${i}`, field, found))
      return
    case 'ZodIntersection': {
      const { left, right } = (schema as z.ZodIntersection<z.ZodTypeAny, z.ZodTypeAny>)._def
      numbersIn(left, path, field, found)
      numbersIn(right, path, field, found)
      return
    }
    case 'ZodTuple':
      ;(schema as z.ZodTuple)._def.items.forEach((item: z.ZodTypeAny, i: number) => numbersIn(item, `${path}[${i}]`, field, found))
      return
    case 'ZodRecord':
    case 'ZodMap':
      numbersIn((schema as z.ZodRecord)._def.keyType, `${path}{key}`, field, found)
      numbersIn((schema as z.ZodRecord)._def.valueType, `${path}{}`, field, found)
      return
    case 'ZodBranded':
    case 'ZodReadonly':
    case 'ZodCatch':
      return numbersIn((def as unknown as { type?: z.ZodTypeAny; innerType?: z.ZodTypeAny }).type ?? (def as unknown as { innerType: z.ZodTypeAny }).innerType, path, field, found)
    case 'ZodPipeline':
      numbersIn((def as unknown as { in: z.ZodTypeAny }).in, path, field, found)
      numbersIn((def as unknown as { out: z.ZodTypeAny }).out, path, field, found)
      return
    case 'ZodLazy':
      return numbersIn((schema as z.ZodLazy<z.ZodTypeAny>).schema, path, field, found)
    default:
      if (LEAVES.has(def.typeName)) return
      if (def.typeName === 'ZodUnknown' && PARSED_AGAIN.has(path)) return
      throw new Error(`${path}: the bounds walk does not know ${def.typeName}; teach it (and make sure no number hides inside)`)
  }
}

function contractNumbers(): NumberFound[] {
  const found: NumberFound[] = []
  for (const [fn, actions] of Object.entries(contract)) {
    for (const [action, spec] of Object.entries(actions as Record<string, ActionSpec>)) numbersIn(spec.input, `${fn}.${action}`, '', found)
  }
  return found
}

const DAY_MS = 86_400_000

/** What a number means, by its field name, and the bounds that meaning allows. */
const MEANINGS: { test: RegExp; meaning: string; min: number; max: number }[] = [
  { test: /^(before|asOf|.*At)$/, meaning: 'an instant in ms (2000-01-01 to 2100-01-01)', min: INSTANT_MIN_MS, max: INSTANT_MAX_MS },
  { test: /^points$/, meaning: 'points', min: -POINTS_MAX, max: POINTS_MAX },
  { test: /^(amount|balance|price|fen)$/, meaning: 'fen (at most ¥1,000,000)', min: -FEN_MAX, max: FEN_MAX },
  { test: /^(limit|quantity)$/, meaning: 'a count of items', min: 0, max: 1000 },
  { test: /^year$/, meaning: 'a calendar year', min: 2000, max: 2100 },
]

describe('every number in the contract is bounded', () => {
  const numbers = contractNumbers()

  test('the walk finds the numbers it must (it is not silently skipping schemas)', () => {
    const paths = numbers.map((number) => number.path)
    for (const expected of [
      'loyalty.ledger.before',
      'loyalty.balanceLedger.before',
      'staff.adjustPoints.points',
      'admin.bulkGrant.points',
      'admin.bulkGrant.balance',
      'admin.runPointsExpiry.asOf',
      'mall.exchange.quantity',
      'staff.recordPurchase.amount',
    ]) {
      expect(paths).toContain(expected)
    }
  })

  test('the walk sees numbers through every wrapper, and refuses a schema kind it does not know', () => {
    const hidden = z
      .object({
        a: z.array(z.object({ n: z.number().optional() })).default([]),
        b: z.union([z.string(), z.number().int().min(1)]),
        c: z.discriminatedUnion('t', [z.object({ t: z.literal('x'), v: z.number().max(3).nullable() })]),
        d: z
          .number()
          .int()
          .refine((value) => value !== 0)
          .transform(String),
        e: z.record(z.string(), z.number()),
        f: z.tuple([z.number()]),
        g: z.number().pipe(z.number().int()),
      })
      .strict()
      .refine(() => true)
    const found: NumberFound[] = []
    numbersIn(hidden, 'x', '', found)
    expect(found.map((number) => [number.path, number.min, number.max])).toEqual([
      ['x.a[].n', undefined, undefined],
      ['x.b|1', 1, undefined],
      ['x.c|0.v', undefined, 3],
      ['x.d', undefined, undefined],
      ['x.e{}', undefined, undefined],
      ['x.f[0]', undefined, undefined],
      ['x.g', undefined, undefined],
      ['x.g', undefined, undefined],
    ])
    expect(() => numbersIn(z.date() as z.ZodTypeAny, 'x', '', [])).toThrow(/does not know ZodDate/)
  })

  test('each has a min, a max, is an integer, and stays within safe integers', () => {
    const problems = numbers.flatMap((number) => {
      const out: string[] = []
      if (number.min === undefined) out.push(`${number.path}: no min`)
      if (number.max === undefined) out.push(`${number.path}: no max`)
      if (!number.int) out.push(`${number.path}: not int (every number in the contract counts something whole: points, fen, ms, items)`)
      if (number.min !== undefined && number.min < -Number.MAX_SAFE_INTEGER) out.push(`${number.path}: min below safe integers`)
      if (number.max !== undefined && number.max > Number.MAX_SAFE_INTEGER) out.push(`${number.path}: max above safe integers`)
      return out
    })
    expect(problems).toEqual([])
  })

  test('bounds fit the meaning of the field (instants, points, fen, counts, years)', () => {
    const problems = numbers.flatMap((number) => {
      const meaning = MEANINGS.find((candidate) => candidate.test.test(number.field))
      if (!meaning || number.min === undefined || number.max === undefined) return []
      return number.min < meaning.min || number.max > meaning.max ? [`${number.path} is ${meaning.meaning} but allows ${number.min}..${number.max}`] : []
    })
    expect(problems).toEqual([])
  })

  test('an instant bound is a real date', () => {
    expect(new Date(INSTANT_MIN_MS).toISOString()).toBe('2000-01-01T00:00:00.000Z')
    expect(new Date(INSTANT_MAX_MS).toISOString()).toBe('2100-01-01T00:00:00.000Z')
    expect(INSTANT_MAX_MS - INSTANT_MIN_MS).toBeGreaterThan(36_000 * DAY_MS)
  })

  test.each([
    ['staff', 'adjustPoints', 'points', 1e308],
    ['staff', 'adjustPoints', 'points', 2 ** 53 + 2],
    ['staff', 'adjustPoints', 'points', -(2 ** 53 + 2)],
    ['admin', 'bulkGrant', 'points', 1e12],
    ['loyalty', 'ledger', 'before', 1e20],
    ['loyalty', 'balanceLedger', 'before', 1e20],
    ['admin', 'runPointsExpiry', 'asOf', 8.64e15 + 1],
  ] as const)('%s.%s refuses %s = %d, naming the field', (fn, action, field, value) => {
    const schema = (contract[fn] as Record<string, ActionSpec>)[action].input
    const base: Record<string, Record<string, unknown>> = {
      adjustPoints: { counterToken: 'x'.repeat(30), reason: '测试调整', requestId: 'req_bounds_1' },
      bulkGrant: { batchId: 'batch-1', memberIds: ['m1'], reason: '测试发放' },
    }
    const parsed = schema.safeParse({ ...(base[action] ?? {}), [field]: value })
    expect(parsed.success).toBe(false)
    if (!parsed.success) expect(parsed.error.issues.map((issue) => issue.path.join('.'))).toContain(field)
  })
})
