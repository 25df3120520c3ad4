/**
 * The export helper end to end through the real SDK and the emulator's storage: 20,000+ rows
 * streamed from an async iterable into xlsx (exceljs streaming writer) and csv (csv-stringify),
 * uploaded, downloaded through the returned link and read back with exceljs / csv-parse.
 */
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { exportTable, type ExportColumn } from '../../backend/platform/export'
import { cloudStorage, StorageError, type FileStorage } from '../../backend/platform/storage'
import { startTestEmulator, type TestEmulator } from '../support/emulator'

interface MemberRow {
  memberNo: string
  name: string
  points: number
  balance: number
  joinedAt: Date
  vip: boolean
  note: string | null
}

const ROWS = 20_500
const JOINED_0 = Date.parse('2024-05-01T00:30:00+08:00')

async function* members(count: number): AsyncGenerator<MemberRow> {
  for (let i = 0; i < count; i++) {
    if (i % 1000 === 0) await new Promise((resolve) => setImmediate(resolve)) // like pages from the database
    yield {
      memberNo: `M${String(i + 1).padStart(8, '0')}`,
      name: i % 2 === 0 ? `张三${i}` : `李四·会员${i}`,
      points: i * 10,
      balance: (i % 100) + 0.5,
      joinedAt: new Date(JOINED_0 + i * 60_000),
      vip: i % 3 === 0,
      note: i === 2 ? '=HYPERLINK("http://evil")' : i % 5 === 0 ? null : '备注',
    }
  }
}

const columns: Array<ExportColumn<MemberRow>> = [
  { header: '会员号', key: 'memberNo' },
  { header: '姓名', key: 'name', width: 20 },
  { header: '积分', key: 'points' },
  { header: '余额(元)', key: 'balance' },
  { header: '入会时间', key: 'joinedAt' },
  { header: 'VIP', key: 'vip' },
  { header: '备注', key: 'note' },
  { header: '等级', key: 'tier', value: (row) => (row.points >= 100_000 ? '金卡' : '普卡') },
]

describe('exportTable', () => {
  let emulator: TestEmulator
  let storage: FileStorage

  beforeAll(async () => {
    emulator = await startTestEmulator()
    storage = cloudStorage(emulator.app())
  })

  afterAll(async () => {
    await emulator?.stop()
  })

  test(`xlsx: ${ROWS} rows through the streaming writer, downloaded through the link and read back`, async () => {
    const result = await exportTable({ format: 'xlsx', cloudPath: 'exports/会员-2024.xlsx', columns, rows: members(ROWS), sheetName: '会员', storage })
    expect(result).toMatchObject({ rows: ROWS, fileID: expect.stringMatching(/^cloud:\/\/.*\/exports\/会员-2024\.xlsx$/) })
    expect(result.expiresAt).toBeGreaterThan(Date.now() + 3500_000)

    const response = await fetch(result.url)
    expect(response.status).toBe(200)
    const bytes = Buffer.from(await response.arrayBuffer())
    expect(bytes.length).toBe(result.bytes)

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
    const sheet = workbook.getWorksheet('会员')!
    expect(sheet.rowCount).toBe(ROWS + 1)
    expect(sheet.getRow(1).values).toEqual([undefined, '会员号', '姓名', '积分', '余额(元)', '入会时间', 'VIP', '备注', '等级'])
    const first = sheet.getRow(2)
    expect(first.getCell(1).value).toBe('M00000001')
    expect(first.getCell(2).value).toBe('张三0')
    expect(first.getCell(3).value).toBe(0)
    expect(first.getCell(4).value).toBe(0.5)
    // 00:30 in Shanghai, shown as that wall-clock time in a date-formatted cell
    expect(first.getCell(5).value).toEqual(new Date('2024-05-01T00:30:00Z'))
    expect(first.getCell(5).numFmt).toBe('yyyy-mm-dd hh:mm:ss')
    expect(first.getCell(6).value).toBe(true)
    expect(first.getCell(7).value).toBeNull()
    expect(first.getCell(8).value).toBe('普卡')
    expect(sheet.getRow(4).getCell(7).value).toBe('=HYPERLINK("http://evil")') // a text cell, not a formula
    const last = sheet.getRow(ROWS + 1)
    expect(last.getCell(1).value).toBe(`M${String(ROWS).padStart(8, '0')}`)
    expect(last.getCell(2).value).toBe(`李四·会员${ROWS - 1}`)
    expect(typeof last.getCell(3).value).toBe('number')
    expect(last.getCell(3).value).toBe((ROWS - 1) * 10)
    expect(last.getCell(8).value).toBe('金卡')
    expect(last.getCell(5).value).toEqual(new Date(Date.parse('2024-05-01T00:30:00Z') + (ROWS - 1) * 60_000))
  })

  test(`csv: ${ROWS} rows through csv-stringify, downloaded through the link and read back with csv-parse`, async () => {
    const result = await exportTable({ format: 'csv', cloudPath: 'exports/会员-2024.csv', columns, rows: members(ROWS), storage })
    expect(result.rows).toBe(ROWS)
    const response = await fetch(result.url)
    expect(response.status).toBe(200)
    const bytes = Buffer.from(await response.arrayBuffer())
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])) // BOM: Excel reads the Chinese text as UTF-8

    const records = parse(bytes, { bom: true }) as string[][]
    expect(records).toHaveLength(ROWS + 1)
    expect(records[0]).toEqual(['会员号', '姓名', '积分', '余额(元)', '入会时间', 'VIP', '备注', '等级'])
    expect(records[1]).toEqual(['M00000001', '张三0', '0', '0.5', '2024-05-01 00:30:00', 'true', '', '普卡'])
    expect(records[2]).toEqual(['M00000002', '李四·会员1', '10', '1.5', '2024-05-01 00:31:00', 'false', '备注', '普卡'])
    expect(records[3][6]).toBe(`'=HYPERLINK("http://evil")`) // not run as a formula by a spreadsheet
    expect(records[ROWS][0]).toBe(`M${String(ROWS).padStart(8, '0')}`)
    expect(Number(records[ROWS][2])).toBe((ROWS - 1) * 10)
    // the 20,499th minute after 2024-05-01 00:30 (Shanghai)
    expect(records[ROWS][4]).toBe('2024-05-15 06:09:00')
    const typed = parse(bytes, { bom: true, columns: true, cast: true }) as Array<Record<string, unknown>>
    expect(typed[1]['积分']).toBe(10)
    expect(typed[1]['余额(元)']).toBe(1.5)
  })

  test('a failing row source uploads nothing', async () => {
    async function* broken(): AsyncGenerator<MemberRow> {
      yield* members(10)
      throw new Error('database went away')
    }
    await expect(exportTable({ format: 'csv', cloudPath: 'exports/broken.csv', columns, rows: broken(), storage })).rejects.toThrow('database went away')
    const fileID = (await storage.put('exports/probe.csv', Buffer.from('x'))).fileID.replace('probe.csv', 'broken.csv')
    await expect(storage.link(fileID)).rejects.toMatchObject({ code: 'STORAGE_FILE_NONEXIST' })
  })

  test('the storage port: put, link, remove (twice is fine), then the link is refused', async () => {
    const { fileID } = await storage.put('ports/a.txt', Buffer.from('端口'))
    const link = await storage.link(fileID, 60)
    expect(await (await fetch(link.url)).text()).toBe('端口')
    await storage.remove([fileID])
    await storage.remove([fileID])
    const error = await storage.link(fileID).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageError)
    expect(error).toMatchObject({ code: 'STORAGE_FILE_NONEXIST' })
    expect((await fetch(link.url)).status).toBe(404)
  })
})
