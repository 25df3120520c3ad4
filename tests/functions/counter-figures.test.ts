/**
 * The counter log's figures (门店台账) reconcile with the ledger: on one business day at 静安, two
 * people at the counter (clerk 李晓梅, manager 王芳) sell by 现金, 微信 and 储值, top up with and
 * without a bonus, refund a purchase of that day and one of the day before, and adjust points;
 * 徐汇's clerk sells too. The day's totals per method and per clerk equal the sums of the ledger
 * entries of that store and day, read straight from the ledger.
 */
import { DEMO_CLERK_OPENID } from '../../emulator/seed'
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { setClock, shanghai, HOUR } from '../support/clock'
import { joinMember, MANAGER_OPENID, requestId, scan, XUHUI_CLERK_OPENID, type TestMember } from '../support/counter'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor, newOpenid } from '../support/functions'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
})
afterAll(() => emulator?.stop())

const DAY = '2031-05-20'
const STORE = 's-jingan'
const li = () => callerFor(url, DEMO_CLERK_OPENID)
const wang = () => callerFor(url, MANAGER_OPENID)

async function buy(openid: string, member: TestMember, amount: number, payMethod: 'cash' | 'wechat' | 'balance') {
  const counterToken = await scan(url, member, openid)
  return (await callerFor(url, openid).ok('staff', 'recordPurchase', { counterToken, amount, payMethod, requestId: requestId() })).receipt
}

async function topUp(openid: string, member: TestMember, amount: number, payMethod: 'cash' | 'wechat') {
  const counterToken = await scan(url, member, openid)
  return (await callerFor(url, openid).ok('staff', 'topup', { counterToken, amount, payMethod, requestId: requestId() })).topup
}

/** What the ledger itself says of the store's day (optionally one clerk's), summed here from the raw entries. */
async function ledgerSums(staffId?: string) {
  const where: Record<string, unknown> = { storeId: STORE, businessDay: DAY }
  if (staffId) where.staffId = staffId
  const { data } = await adminApp(url).database().collection('ledger').where(where).limit(1000).get()
  const entries = data as LedgerEntry[]
  const detail = (entry: LedgerEntry) => (entry.detail ?? {}) as { payable?: number; payMethod?: string; amount?: number; bonus?: number; channel?: string }
  const purchases = entries.filter((entry) => entry.kind === 'purchase')
  const refunds = entries.filter((entry) => entry.kind === 'refund')
  const topups = entries.filter((entry) => entry.kind === 'topup')
  const byMethod = (method: string) =>
    purchases.filter((entry) => detail(entry).payMethod === method).reduce((sum, entry) => sum + (detail(entry).payable ?? 0), 0) -
    refunds.filter((entry) => detail(entry).payMethod === method).reduce((sum, entry) => sum + (detail(entry).payable ?? 0), 0) +
    topups.filter((entry) => detail(entry).channel === method).reduce((sum, entry) => sum + (detail(entry).amount ?? 0), 0)
  const sum = (list: LedgerEntry[], value: (entry: LedgerEntry) => number) => list.reduce((total, entry) => total + value(entry), 0)
  return {
    purchases: purchases.length,
    refunds: refunds.length,
    salesFen: sum(purchases, (entry) => detail(entry).payable ?? 0),
    refundFen: sum(refunds, (entry) => detail(entry).payable ?? 0),
    cashFen: byMethod('cash'),
    wechatFen: byMethod('wechat'),
    // stored value spent: the ledger's own balance column of purchases and refunds, not the details
    balanceSpentFen: 0 - sum([...purchases, ...refunds], (entry) => entry.balance),
    topupFen: sum(topups, (entry) => detail(entry).amount ?? 0),
    topupBonusFen: sum(topups, (entry) => detail(entry).bonus ?? 0),
    pointsIssued: sum([...purchases, ...refunds], (entry) => entry.points),
    pointsAdjusted: sum(
      entries.filter((entry) => entry.kind === 'adjust'),
      (entry) => entry.points,
    ),
    // and the top-ups' balance column is what was paid plus the bonus
    topupCredited: sum(topups, (entry) => entry.balance),
  }
}

test('the day’s totals per method and per clerk are the sums of the store’s ledger entries of that day; top-up bonus apart, points net of refunds, members by name', async () => {
  // the day before: a ¥80.00 purchase by 微信 that is refunded on the day
  await setClock(emulator.url, shanghai(`2031-05-19T18:00:00`))
  const ann = await joinMember(url)
  const yesterday = await buy(DEMO_CLERK_OPENID, ann, 8000, 'wechat')

  await setClock(emulator.url, shanghai(`${DAY}T10:00:00`))
  const [lan, other] = [await joinMember(url), await joinMember(url)]
  const meiOpenid = newOpenid('mei')
  const { member: joined } = await callerFor(url, meiOpenid).ok('member', 'join', { nickname: '周小美' })
  const mei: TestMember = { openid: meiOpenid, memberId: joined.memberId, memberNo: joined.memberNo, caller: callerFor(url, meiOpenid) }
  await buy(DEMO_CLERK_OPENID, mei, 10000, 'cash')
  const refundedToday = await buy(DEMO_CLERK_OPENID, mei, 5000, 'wechat')
  expect((await topUp(DEMO_CLERK_OPENID, lan, 50000, 'cash')).bonus).toBe(5000) // 充500送50
  await topUp(DEMO_CLERK_OPENID, lan, 10000, 'wechat')
  await buy(DEMO_CLERK_OPENID, lan, 3000, 'balance')
  await buy(MANAGER_OPENID, lan, 20000, 'cash')
  await wang().ok('staff', 'refundPurchase', { purchaseId: refundedToday.purchaseId, requestId: requestId() })
  await wang().ok('staff', 'refundPurchase', { purchaseId: yesterday.purchaseId, requestId: requestId() })
  const token = await scan(url, mei, MANAGER_OPENID)
  await wang().ok('staff', 'adjustPoints', { counterToken: token, points: 20, reason: '活动补发', requestId: requestId() })
  await buy(XUHUI_CLERK_OPENID, other, 8000, 'cash') // another store: not in 静安's day

  await setClock(emulator.url, shanghai(`${DAY}T10:00:00`) + 8 * HOUR)
  const log = await wang().ok('staff', 'counterLog', { day: DAY })
  const { topupCredited, ...expected } = await ledgerSums()
  expect(log.totals).toEqual(expected)
  expect(topupCredited).toBe(log.totals.topupFen + log.totals.topupBonusFen)
  // and in plain figures: ¥500 + ¥100 top-ups are ¥600 taken, the ¥50 bonus is not money taken
  expect(log.totals).toMatchObject({ purchases: 4, refunds: 2, topupFen: 60000, topupBonusFen: 5000, pointsAdjusted: 20 })
  expect(log.totals.wechatFen).toBe(expected.wechatFen)
  expect(log.totals.cashFen + log.totals.wechatFen + log.totals.balanceSpentFen).toBe(log.totals.salesFen - log.totals.refundFen + log.totals.topupFen)

  // per clerk: each row is that clerk's entries, and the rows add up to the day
  const rows = new Map(log.byStaff.map((row) => [row.staffId, row]))
  expect([...rows.keys()].sort()).toEqual(['st-li', 'st-wang'])
  for (const staffId of ['st-li', 'st-wang']) {
    const { topupCredited: _credited, ...own } = await ledgerSums(staffId)
    expect(rows.get(staffId)?.totals).toEqual(own)
  }
  expect(rows.get('st-wang')?.staffName).toBe('王芳')
  const added = Object.fromEntries(Object.keys(log.totals).map((key) => [key, log.byStaff.reduce((sum, row) => sum + row.totals[key as keyof typeof log.totals], 0)]))
  expect(added).toEqual(log.totals)

  // the lines: members by name and number, the method, a top-up's bonus apart, a refund as its purchase was paid
  const lines = log.entries.filter((entry) => entry.payMethod !== null || entry.action === 'adjust')
  expect(lines.find((entry) => entry.action === 'purchase' && entry.amount === refundedToday.payable)).toMatchObject({ nickname: '周小美', memberNo: mei.memberNo, payMethod: 'wechat' })
  expect(lines.filter((entry) => entry.action === 'topup').map((entry) => [entry.amount, entry.bonus, entry.payMethod])).toEqual(
    expect.arrayContaining([
      [50000, 5000, 'cash'],
      [10000, 0, 'wechat'],
    ]),
  )
  expect(lines.filter((entry) => entry.action === 'refund').map((entry) => entry.payMethod)).toEqual(['wechat', 'wechat'])

  // a clerk sees her own figures only, and they are her ledger entries
  const own = await li().ok('staff', 'counterLog', { day: DAY })
  const { topupCredited: _mine, ...mine } = await ledgerSums('st-li')
  expect(own.totals).toEqual(mine)
  expect(own.byStaff.map((row) => row.staffId)).toEqual(['st-li'])
  expect(own.entries.every((entry) => entry.staffName === '李晓梅')).toBe(true)
})
