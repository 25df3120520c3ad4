/** Members inserted straight into the database (the document member.join writes), for tests and benches that need many. */
import type { LedgerEntry } from '../../domain/shared/ledger-entry'
import { memberIdFor, newMemberRecord } from '../../domain/membership/member'
import { businessDay } from '../../domain/shared/time'
import { adminApp, newOpenid } from './functions'

let sequence = 0

/** A stored-value or points opening balance, as an imported ledger entry. */
export function importEntry(memberId: string, values: { points?: number; balance?: number }, now = new Date()): LedgerEntry {
  return {
    _id: `import:${memberId}`,
    memberId,
    kind: 'import',
    points: values.points ?? 0,
    balance: values.balance ?? 0,
    growth: 0,
    requestId: 'test-import',
    businessDay: businessDay(now),
    createdAt: now,
    description: '测试导入',
  }
}

/**
 * Inserts `count` silver members in batches; each starts with the entries `opening` gives it
 * (applied, and copied to the ledger), so the ledger invariants hold from the start.
 */
export async function insertMembers(
  adminUrl: string,
  count: number,
  options: { label?: string; opening?: (memberId: string) => LedgerEntry[]; fields?: (index: number) => Record<string, unknown> } = {},
): Promise<{ openid: string; memberId: string }[]> {
  const now = new Date()
  const db = adminApp(adminUrl).database()
  const records = Array.from({ length: count }, (_, index) => {
    const openid = newOpenid(options.label ?? 'bulk')
    const memberNo = String(70000000 + (process.pid % 100) * 100000 + ++sequence)
    return { ...newMemberRecord({ openid, memberNo, cardTypeId: 'individual', tierId: 'silver', opening: options.opening?.(memberIdFor(openid)) ?? [], now }), ...options.fields?.(index) }
  })
  const entries = records.flatMap((record) => Object.values(record.outbox))
  for (let i = 0; i < records.length; i += 500) await db.collection('members').add(records.slice(i, i + 500))
  for (let i = 0; i < entries.length; i += 500) await db.collection('ledger').add(entries.slice(i, i + 500))
  return records.map((record) => ({ openid: record.openid, memberId: record._id }))
}

let seeded = 0

/** Writes past ledger entries for a member and moves the member's sums with them (test set-up). */
export async function seedEntries(adminUrl: string, memberId: string, entries: { points?: number; balance?: number; growth?: number; at: Date; kind?: string }[]): Promise<void> {
  const db = adminApp(adminUrl).database()
  const _ = db.command
  for (const entry of entries) {
    await db.collection('ledger').add({
      _id: `seed:${memberId}:${++seeded}`,
      memberId,
      kind: entry.kind ?? 'import',
      points: entry.points ?? 0,
      balance: entry.balance ?? 0,
      growth: entry.growth ?? 0,
      requestId: 'seed',
      businessDay: businessDay(entry.at),
      createdAt: entry.at,
      description: '测试数据',
    })
  }
  const sum = (field: 'points' | 'balance' | 'growth') => entries.reduce((total, entry) => total + (entry[field] ?? 0), 0)
  await db
    .collection('members')
    .doc(memberId)
    .update({ points: _.inc(sum('points')), balance: _.inc(sum('balance')), growth: _.inc(sum('growth')) })
}
