/**
 * Error reasons: one catalogue (domain/reasons.ts) derives each reason's code; docs/errors.md
 * lists every reason with its code and meaning; the app has copy for every one. A reason used
 * anywhere in backend/, cloudfunctions/ or domain/ that misses a row or a line of copy fails here.
 */
import fs from 'node:fs'
import path from 'node:path'
import { AppError, ERROR_CODES } from '../../../domain/shared/errors'
import { REASONS, REASON_NAMES, isReason, type Reason } from '../../../domain/shared/reasons'
import { CLIENT_REASONS } from '../../../src/services/errors'
import { REASON_COPY } from '../../../src/services/reason-copy'

const ROOT = path.resolve(__dirname, '..', '..', '..')
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8')

function sourceFiles(dir: string, pattern = /\.tsx?$/): string[] {
  const out: string[] = []
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...sourceFiles(relative, pattern))
    else if (pattern.test(entry.name)) out.push(relative)
  }
  return out
}

/** The functions' sources: backend/, each function's src/, domain/ (not the bundles). */
const SERVER_SOURCES = [
  ...sourceFiles('backend'),
  ...fs.readdirSync(path.join(ROOT, 'cloudfunctions')).flatMap((fn) => (fs.existsSync(path.join(ROOT, 'cloudfunctions', fn, 'src')) ? sourceFiles(path.join('cloudfunctions', fn, 'src')) : [])),
  ...sourceFiles('domain'),
]

/**
 * Every place a reason is named: thrown (any first argument of an AppError), compared, or written
 * into an answer (`reason` fields in UPPER_SNAKE: other `reason` fields, such as a tier change's
 * 'upgrade', are prose or lower-case).
 */
const REASON_USES = [/new AppError\(\s*'([^']*)'/g, /\bsuper\(\s*'([^']*)'/g, /\.reason === '([A-Z][A-Z0-9_]*)'/g, /\breason: '([A-Z][A-Z0-9_]*)'/g, /hasReason\([^,]+,\s*'([^']*)'\)/g]

function reasonsUsedIn(files: string[]): Map<string, string[]> {
  const used = new Map<string, string[]>()
  for (const file of files) {
    if (file === path.join('domain', 'shared', 'reasons.ts')) continue
    const text = read(file)
    for (const pattern of REASON_USES) {
      for (const match of text.matchAll(pattern)) used.set(match[1], [...(used.get(match[1]) ?? []), file])
    }
  }
  return used
}

/** `| \`REASON\` | \`CODE\` | meaning |` rows of docs/errors.md, in order. */
function docRows(): { reason: string; code: string; meaning: string }[] {
  return [...read('docs/errors.md').matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| `([A-Z_]+)` \| (.+) \|$/gm)].map(([, reason, code, meaning]) => ({ reason, code, meaning }))
}

describe('the catalogue', () => {
  test('every reason is UPPER_SNAKE and maps to a code of the closed list', () => {
    for (const reason of REASON_NAMES) {
      expect(reason).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/)
      expect(ERROR_CODES).toContain(REASONS[reason].code)
      expect(REASONS[reason].meaning.length).toBeGreaterThan(10)
    }
  })

  test('contention has its own code, ABORTED, and only contention has it', () => {
    expect(ERROR_CODES).toContain('ABORTED')
    expect(REASON_NAMES.filter((reason) => REASONS[reason].code === 'ABORTED').sort()).toEqual(['BUSY', 'REQUEST_IN_PROGRESS'])
  })

  test('an AppError takes its code from its reason and answers { code, reason, message, fields? }', () => {
    expect(new AppError('SOLD_OUT', '已抢光').toJSON()).toEqual({ code: 'FAILED_PRECONDITION', reason: 'SOLD_OUT', message: '已抢光' })
    expect(new AppError('BUSY').toJSON()).toEqual({ code: 'ABORTED', reason: 'BUSY', message: REASONS.BUSY.meaning })
    const fields = [{ path: 'amount', message: 'too small' }]
    expect(new AppError('TOPUP_AMOUNT_OUT_OF_RANGE', '单次充值不能少于 ¥10.00', fields).toJSON()).toEqual({
      code: 'INVALID_ARGUMENT',
      reason: 'TOPUP_AMOUNT_OUT_OF_RANGE',
      message: '单次充值不能少于 ¥10.00',
      fields,
    })
  })

  test('only the catalogue’s own keys are reasons (constructor, toString, __proto__ are not)', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '']) expect(isReason(name)).toBe(false)
    expect(isReason('SOLD_OUT')).toBe(true)
  })
})

describe('every reason used in the code is in the catalogue, the docs table and the app’s copy', () => {
  const used = reasonsUsedIn(SERVER_SOURCES)
  const documented = new Map(docRows().map((row) => [row.reason, row]))

  test('the scan sees the sources (a broken pattern would make every check below vacuous)', () => {
    expect(SERVER_SOURCES.length).toBeGreaterThan(50)
    expect(used.size).toBeGreaterThan(80)
    expect(used.get('SOLD_OUT')?.length).toBeGreaterThan(1)
  })

  test('every reason thrown, compared or answered in backend/, cloudfunctions/ and domain/ is in the catalogue', () => {
    const unknown = [...used.entries()].filter(([reason]) => !isReason(reason)).map(([reason, files]) => `${reason} (${[...new Set(files)].join(', ')})`)
    expect(unknown).toEqual([])
  })

  test('every AppError names its reason literally, so the scan above sees it', () => {
    const dynamic = SERVER_SOURCES.flatMap((file) => [...read(file).matchAll(/new AppError\(\s*([^'\s)])/g)].map(() => file))
    expect(dynamic).toEqual([])
  })

  test('every reason in the catalogue is used somewhere (no dead rows)', () => {
    expect(REASON_NAMES.filter((reason) => !used.has(reason))).toEqual([])
  })

  test('docs/errors.md has one row per reason, in catalogue order, with its code and meaning', () => {
    const rows = docRows()
    const server = rows.slice(0, REASON_NAMES.length)
    expect(server.map((row) => row.reason)).toEqual(REASON_NAMES)
    for (const row of server) {
      const entry = REASONS[row.reason as Reason]
      expect({ reason: row.reason, code: row.code, meaning: row.meaning }).toEqual({ reason: row.reason, code: entry.code, meaning: entry.meaning })
    }
  })

  test('docs/errors.md also lists the reasons the app gives itself, with their code', () => {
    const client = docRows().slice(REASON_NAMES.length)
    expect(client.map((row) => [row.reason, row.code])).toEqual(Object.entries(CLIENT_REASONS))
    for (const reason of used.keys()) expect(documented.has(reason)).toBe(true)
  })

  test('the app has copy for every reason, server and client, and for nothing else', () => {
    expect(Object.keys(REASON_COPY).sort()).toEqual([...REASON_NAMES, ...Object.keys(CLIENT_REASONS)].sort())
  })

  test('the copy is for people: Chinese, never a code, a reason or a technical word', () => {
    const technical = /[A-Z]{2,}_|\b(INVALID|NETWORK|INTERNAL|ABORTED|undefined|null|error|fail)\b/i
    for (const [reason, copy] of Object.entries(REASON_COPY)) {
      expect({ reason, chinese: /[\u4e00-\u9fff]/.test(copy), technical: technical.test(copy) }).toEqual({ reason, chinese: true, technical: false })
    }
  })
})

describe('the app shows copy, not messages', () => {
  test('no page or component renders an error’s own message or a wallet’s errMsg', () => {
    const offenders = sourceFiles('src', /\.tsx$/).filter((file) => /\b(error|err|e|failure)\.message\b|\$\{errMsg/.test(read(file)))
    expect(offenders).toEqual([])
  })
})
