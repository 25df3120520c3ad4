/**
 * Large exports (reports, survey results, leaderboards): rows from an async iterable are written
 * to a temporary file as they arrive — xlsx through exceljs's streaming WorkbookWriter, csv
 * through csv-stringify — so millions of rows never sit in memory; the file is uploaded to cloud
 * storage and a temporary download link comes back.
 *
 *   const result = await exportTable({
 *     format: 'xlsx',
 *     cloudPath: `exports/members-${day}.xlsx`,
 *     columns: [
 *       { header: '会员号', key: 'memberNo' },
 *       { header: '积分', key: 'points' },
 *       { header: '入会时间', key: 'joinedAt' },
 *     ],
 *     rows: membersInPages(),          // AsyncIterable<Record<string, unknown>>
 *   })
 *   result.url                         // valid for linkMaxAgeSeconds
 *
 * Cells: numbers stay numbers, booleans booleans, Dates are shown as the wall-clock time of
 * `timeZone` (default Asia/Shanghai; xlsx: a date cell formatted yyyy-mm-dd hh:mm:ss,
 * csv: "YYYY-MM-DD HH:mm:ss"), null/undefined are empty, anything else is its text.
 * A CSV starts with a UTF-8 BOM (so Excel reads Chinese text) and text cells that start with
 * = + - @ are prefixed with ' so a spreadsheet does not run them as formulas.
 *
 * Bundling: exceljs is large (≈1 MB minified); import this module only from functions that export.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { stringify } from 'csv-stringify'
import ExcelJS from 'exceljs'
import { cloudStorage, DEFAULT_LINK_MAX_AGE_S, type FileStorage } from './storage'

export type CellValue = string | number | boolean | Date | null | undefined

export interface ExportColumn<Row> {
  header: string
  /** the row field shown, unless `value` is given */
  key: string
  value?: (row: Row) => CellValue
  /** xlsx column width in characters */
  width?: number
}

export interface ExportOptions<Row> {
  format: 'xlsx' | 'csv'
  /** where the file goes in cloud storage, e.g. exports/members-2026-01-31.xlsx */
  cloudPath: string
  columns: Array<ExportColumn<Row>>
  rows: AsyncIterable<Row> | Iterable<Row>
  /** xlsx sheet name (default 'Sheet1') */
  sheetName?: string
  /** IANA zone dates are shown in (default Asia/Shanghai) */
  timeZone?: string
  linkMaxAgeSeconds?: number
  storage?: FileStorage
}

export interface ExportResult {
  fileID: string
  url: string
  expiresAt: number
  rows: number
  bytes: number
}

const DEFAULT_TIME_ZONE = 'Asia/Shanghai'
const XLSX_DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss'
/** rows between yields to the event loop, so the file streams get written out while rows keep coming */
const YIELD_EVERY = 2000

function cellOf<Row>(column: ExportColumn<Row>, row: Row): CellValue {
  return column.value ? column.value(row) : ((row as Record<string, unknown>)[column.key] as CellValue)
}

/**
 * An instant as the same wall-clock reading in UTC (exceljs writes Dates as UTC serials).
 * Zone offsets are looked up once per zone and quarter hour (dayjs.tz costs ~100 µs a call: minutes
 * for a million rows).
 */
function wallClockOf(timeZone: string): (date: Date) => Date {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
  const offsets = new Map<number, number>()
  const offsetAt = (ms: number): number => {
    const hour = Math.floor(ms / 900_000) // offsets and their changes fall on quarter hours
    let offset = offsets.get(hour)
    if (offset === undefined) {
      const probe = hour * 900_000
      const parts: Record<string, number> = {}
      for (const part of format.formatToParts(new Date(probe))) if (part.type !== 'literal') parts[part.type] = Number(part.value)
      offset = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - probe
      if (offsets.size > 100_000) offsets.clear()
      offsets.set(hour, offset)
    }
    return offset
  }
  return (date) => new Date(date.getTime() + offsetAt(date.getTime()))
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** YYYY-MM-DD HH:mm:ss of a wall-clock Date made by wallClockOf */
function formatWallClock(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

function xlsxCell(value: CellValue, wallClock: (date: Date) => Date): ExcelJS.CellValue {
  if (value === undefined || value === null) return null
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : wallClock(value)
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string' || typeof value === 'boolean') return value
  return String(value)
}

function csvCell(value: CellValue, wallClock: (date: Date) => Date): string | number | boolean {
  if (value === undefined || value === null) return ''
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : formatWallClock(wallClock(value))
  if (typeof value === 'number') return Number.isFinite(value) ? value : ''
  if (typeof value === 'boolean') return value
  const text = String(value)
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

async function writeXlsx<Row>(file: string, options: ExportOptions<Row>, wallClock: (date: Date) => Date): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false })
  const sheet = workbook.addWorksheet(options.sheetName ?? 'Sheet1')
  sheet.columns = options.columns.map((column) => ({ header: column.header, key: column.key, width: column.width ?? Math.max(10, column.header.length * 2 + 2) }))
  let count = 0
  for await (const row of options.rows) {
    const values = options.columns.map((column) => xlsxCell(cellOf(column, row), wallClock))
    const added = sheet.addRow(values)
    values.forEach((value, i) => {
      if (value instanceof Date) added.getCell(i + 1).numFmt = XLSX_DATE_FORMAT
    })
    added.commit()
    if (++count % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  sheet.commit()
  await workbook.commit()
  return count
}

async function writeCsv<Row>(file: string, options: ExportOptions<Row>, wallClock: (date: Date) => Date): Promise<number> {
  let count = 0
  const columns = options.columns
  async function* records() {
    for await (const row of options.rows) {
      count++
      yield columns.map((column) => csvCell(cellOf(column, row), wallClock))
    }
  }
  await pipeline(
    Readable.from(records()),
    stringify({ bom: true, header: true, columns: columns.map((column) => column.header), cast: { boolean: (value) => (value ? 'true' : 'false') } }),
    fs.createWriteStream(file),
  )
  return count
}

export async function exportTable<Row>(options: ExportOptions<Row>): Promise<ExportResult> {
  const extension = `.${options.format}`
  if (options.format !== 'xlsx' && options.format !== 'csv') throw new Error(`unknown export format ${String(options.format)}`)
  if (!options.cloudPath.endsWith(extension)) throw new Error(`cloudPath ${options.cloudPath} should end with ${extension}`)
  if (options.columns.length === 0) throw new Error('an export needs at least one column')
  const wallClock = wallClockOf(options.timeZone ?? DEFAULT_TIME_ZONE)
  const storage = options.storage ?? cloudStorage()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-'))
  const file = path.join(dir, `${randomBytes(6).toString('hex')}${extension}`)
  try {
    const rows = options.format === 'xlsx' ? await writeXlsx(file, options, wallClock) : await writeCsv(file, options, wallClock)
    const bytes = fs.statSync(file).size
    const { fileID } = await storage.put(options.cloudPath, { file })
    const link = await storage.link(fileID, options.linkMaxAgeSeconds ?? DEFAULT_LINK_MAX_AGE_S)
    return { fileID, url: link.url, expiresAt: link.expiresAt, rows, bytes }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
