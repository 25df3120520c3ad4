/** Counter helpers for tests: members, clerks, codes and the invariants every member must keep. */
import { DEMO_CLERK_OPENID } from '../../emulator/seed'
import { adminApp, callerFor, newOpenid, requestId, type FunctionCaller } from './functions'

export const MANAGER_OPENID = 'o_demo_manager_wangfang'
export const XUHUI_CLERK_OPENID = 'o_demo_clerk_zhaolei'

export interface TestMember {
  openid: string
  memberId: string
  memberNo: string
  caller: FunctionCaller
}

export async function joinMember(adminUrl: string, phone?: string): Promise<TestMember> {
  const openid = newOpenid('counter')
  const caller = callerFor(adminUrl, openid)
  const { member } = await caller.ok('member', 'join', {})
  if (phone) await adminApp(adminUrl).database().collection('members').doc(member.memberId).update({ phone })
  return { openid, memberId: member.memberId, memberNo: member.memberNo, caller }
}

/** The member shows a fresh code; the clerk scans it and gets a counter token. */
export async function scan(adminUrl: string, member: TestMember, clerkOpenid = DEMO_CLERK_OPENID): Promise<string> {
  const { code } = await member.caller.ok('member', 'card', {})
  const { counterToken } = await callerFor(adminUrl, clerkOpenid).ok('staff', 'verifyMemberCode', { code })
  return counterToken
}

export async function memberDoc(adminUrl: string, memberId: string) {
  const { data } = await adminApp(adminUrl).database().collection('members').doc(memberId).get()
  return data[0] as {
    points: number
    pointsOwed: number
    pointsLocked?: number
    locks?: Record<string, { points: number; until: Date }>
    balance: number
    growth: number
    tierId: string
    status: string
    outbox: Record<string, { _id: string; points: number; balance: number; locked?: number }>
  }
}

/**
 * The ledger invariants, over ledger ∪ outbox (each entry once):
 * points − owed = Σ points, balance = Σ balance, locked = Σ locked = Σ open locks, and nothing negative.
 */
export async function expectInvariants(adminUrl: string, memberId: string): Promise<void> {
  const db = adminApp(adminUrl).database()
  const member = await memberDoc(adminUrl, memberId)
  const entries = new Map<string, { points: number; balance: number; locked?: number }>()
  for (let offset = 0; ; offset += 1000) {
    const { data } = await db.collection('ledger').where({ memberId }).skip(offset).limit(1000).get()
    for (const entry of data as { _id: string; points: number; balance: number; locked?: number }[]) entries.set(entry._id, entry)
    if (data.length < 1000) break
  }
  for (const entry of Object.values(member.outbox ?? {})) entries.set(entry._id, entry)
  const sums = [...entries.values()].reduce<{ points: number; balance: number; locked: number }>(
    (sum, entry) => ({ points: sum.points + entry.points, balance: sum.balance + entry.balance, locked: sum.locked + (entry.locked ?? 0) }),
    {
      points: 0,
      balance: 0,
      locked: 0,
    },
  )
  const openLocks = Object.values(member.locks ?? {}).reduce((sum, lock) => sum + lock.points, 0)
  expect({ net: member.points - member.pointsOwed, balance: member.balance, locked: member.pointsLocked ?? 0, openLocks }).toEqual({
    net: sums.points,
    balance: sums.balance,
    locked: sums.locked,
    openLocks: sums.locked,
  })
  expect(member.points).toBeGreaterThanOrEqual(0)
  expect(member.pointsOwed).toBeGreaterThanOrEqual(0)
  expect(member.balance).toBeGreaterThanOrEqual(0)
}

export { requestId }
