/**
 * Roles, generated from the contract: every action of every function (domain/contract) is called
 * by every persona, and the router admits exactly the callers the action's declared roles name —
 * before it reads the input. A new action, function or role is covered without editing this file
 * (a new role fails the persona check below until a persona holds it).
 *
 * Each call sends an input that no schema accepts, so nothing can change whoever is admitted:
 * an admitted caller gets INVALID_ARGUMENT / INVALID_INPUT from validation, a refused one
 * UNAUTHENTICATED / WECHAT_USER_REQUIRED (no WeChat user) or PERMISSION_DENIED with the reason
 * naming who may (NOT_STAFF, MANAGER_ONLY, ADMIN_ONLY, CONSOLE_ONLY). The router's own database
 * work is counted too: nothing, or one read of the caller's staff row for staff and head-office
 * actions.
 */
import { contract, ROLES, STAFF_ROLES, type ActionSpec, type FunctionName, type Role } from '../../domain/contract'
import { DEMO_CLERK_OPENID, DEMO_MANAGER_OPENID } from '../../emulator/seed'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { joinMember, memberDoc, requestId, scan, XUHUI_CLERK_OPENID } from '../support/counter'
import { adminApp, callerFor, invocations, newOpenid } from '../support/functions'

let emulator: TestEmulator
let url: string

const ADMIN_OPENID = 'o_test_roles_head_office_admin'

interface Persona {
  label: string
  /** null: the console (no WeChat user) */
  openid: () => string | null
  /** the roles the router finds this caller holding */
  holds: readonly Role[]
}

let visitorOpenid = ''
let memberOpenid = ''

/**
 * A WeChat user holds `wechat` and `member` whether they joined or not: the router checks only that
 * WeChat names a user; membership is checked by the handler where it loads the member (NOT_FOUND).
 */
const PERSONAS: Persona[] = [
  { label: 'a WeChat user who is not a member', openid: () => visitorOpenid, holds: ['wechat', 'member'] },
  { label: 'a member', openid: () => memberOpenid, holds: ['wechat', 'member'] },
  { label: 'a clerk', openid: () => DEMO_CLERK_OPENID, holds: ['wechat', 'member', 'clerk'] },
  { label: 'a store manager', openid: () => DEMO_MANAGER_OPENID, holds: ['wechat', 'member', 'manager'] },
  { label: 'a head-office admin', openid: () => ADMIN_OPENID, holds: ['wechat', 'member', 'admin'] },
  { label: 'the console', openid: () => null, holds: ['console'] },
]

/** Not an object: every action's schema refuses it, so an admitted call stops at validation. */
const PROBE = 'role-probe: no action takes a string'

const ACTIONS = Object.entries(contract).flatMap(([fn, actions]) => Object.entries(actions as Record<string, ActionSpec>).map(([action, spec]) => ({ fn: fn as FunctionName, action, spec })))

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
  // The seed has no head-office admin.
  await adminApp(url).database().collection('staff').add({ _id: 'st-roles-admin', openid: ADMIN_OPENID, name: '总部管理员', role: 'admin', storeId: 's-jingan', channelId: null })
  visitorOpenid = newOpenid('visitor')
  memberOpenid = (await joinMember(url)).openid
})
afterAll(() => emulator?.stop())

/** The refusal a WeChat user gets names who may: the counter, a store manager, head office, the console. */
function refusedFor(roles: readonly Role[]): string {
  if (roles.includes('clerk')) return 'PERMISSION_DENIED NOT_STAFF'
  if (roles.includes('manager')) return 'PERMISSION_DENIED MANAGER_ONLY'
  if (roles.includes('admin')) return 'PERMISSION_DENIED ADMIN_ONLY'
  return 'PERMISSION_DENIED CONSOLE_ONLY'
}

function expectedOutcome(roles: readonly Role[], persona: Persona): string {
  const openid = persona.openid()
  const admitted = roles.some((role) => persona.holds.includes(role))
  const code = admitted ? 'INVALID_ARGUMENT INVALID_INPUT' : openid ? refusedFor(roles) : 'UNAUTHENTICATED WECHAT_USER_REQUIRED'
  // The staff row is read only for a WeChat caller of an action that no plain WeChat user may call;
  // a staff member's row is kept by a warm instance (backend/staff.ts), a non-staff answer never.
  const staffRead = openid !== null && !roles.includes('wechat') && !roles.includes('member') && roles.some((role) => (STAFF_ROLES as readonly Role[]).includes(role))
  const isStaff = persona.holds.some((role) => (STAFF_ROLES as readonly Role[]).includes(role))
  return `${code}, ${!staffRead ? '0' : isStaff ? '0–1' : '1'} database calls`
}

/** A kept staff row makes the read 0 or 1: both read as "0–1". */
function asExpected(seen: string, expected: string): string {
  return expected.endsWith('0–1 database calls') ? seen.replace(/, [01] database calls$/, ', 0–1 database calls') : seen
}

async function outcome(fn: FunctionName, action: string, persona: Persona): Promise<string> {
  const openid = persona.openid()
  const answer = (await callerFor(url, openid).raw(fn, { action, input: PROBE })) as { ok: boolean; error?: { code: string; reason: string; fields?: { path: string }[] } }
  const [last] = await invocations(emulator.url, { function: fn, ...(openid ? { openid } : {}), last: 1 })
  if (last?.action !== action || last.openid !== (openid ?? '')) throw new Error(`no invocation recorded for ${fn}.${action} by ${persona.label}`)
  if (answer.ok) return `ok (nothing should accept ${JSON.stringify(PROBE)})`
  if (answer.error?.code === 'INVALID_ARGUMENT') expect(answer.error.fields).toEqual([expect.objectContaining({ path: '(input)' })])
  return `${answer.error?.code} ${answer.error?.reason}, ${last.adminCalls} database calls`
}

describe('roles declared in the contract', () => {
  test('every role is held by some persona, and every action declares at least one role', () => {
    expect(ROLES.filter((role) => !PERSONAS.some((persona) => persona.holds.includes(role)))).toEqual([])
    expect(ACTIONS.filter(({ spec }) => spec.roles.length === 0).map(({ fn, action }) => `${fn}.${action}`)).toEqual([])
    expect(ACTIONS.length).toBeGreaterThan(60)
  })

  test('no action accepts the probe input', () => {
    expect(ACTIONS.filter(({ spec }) => spec.input.safeParse(PROBE).success).map(({ fn, action }) => `${fn}.${action}`)).toEqual([])
  })

  test.each(ACTIONS.map(({ fn, action, spec }) => [`${fn}.${action}`, spec.roles.join(' | '), fn, action, spec] as const))(
    '%s admits %s, and no one else, before reading the input',
    async (_label, _roles, fn, action, spec) => {
      const seen: Record<string, string> = {}
      const expected: Record<string, string> = {}
      for (const persona of PERSONAS) {
        expected[persona.label] = expectedOutcome(spec.roles, persona)
        seen[persona.label] = asExpected(await outcome(fn, action, persona), expected[persona.label])
      }
      expect(seen).toEqual(expected)
    },
  )
})

describe('roles at work', () => {
  test('"not staff" is never kept: a clerk added in the console can work at once, and a warm counter reads no staff row', async () => {
    const openid = newOpenid('new-clerk')
    expect(await callerFor(url, openid).call('staff', 'me', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED', reason: 'NOT_STAFF' } })
    await adminApp(url)
      .database()
      .collection('staff')
      .add({ _id: `st-${openid.slice(-12)}`, openid, name: '新店员', role: 'clerk', storeId: 's-jingan', channelId: null })
    expect((await callerFor(url, openid).ok('staff', 'me', {})).staff).toMatchObject({ role: 'clerk' })
    await callerFor(url, openid).ok('staff', 'me', {})
    const [last] = await invocations(emulator.url, { function: 'staff', openid, last: 1 })
    expect(last.adminCalls).toBe(0)
  })

  test('the handler receives the staff record the router found', async () => {
    expect((await callerFor(url, ADMIN_OPENID).ok('staff', 'me', {})).staff).toMatchObject({ staffId: 'st-roles-admin', role: 'admin' })
    expect((await callerFor(url, DEMO_MANAGER_OPENID).ok('staff', 'me', {})).staff).toMatchObject({ staffId: 'st-wang', role: 'manager' })
    expect((await callerFor(url, ADMIN_OPENID).ok('admin', 'checkInvariants', { memberIds: [] })).violations).toEqual([])
  })

  test('points adjustments are for store managers: a clerk is refused and the points stay', async () => {
    const member = await joinMember(url)
    const before = await memberDoc(url, member.memberId)
    const counterToken = await scan(url, member)
    expect(await callerFor(url, DEMO_CLERK_OPENID).call('staff', 'adjustPoints', { counterToken, points: 50, reason: '补录积分', requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    })
    expect((await memberDoc(url, member.memberId)).points).toBe(before.points)
  })

  test("a clerk cannot act with another clerk's counter token (clerks act in their own store)", async () => {
    const member = await joinMember(url)
    const counterToken = await scan(url, member)
    const answer = await callerFor(url, XUHUI_CLERK_OPENID).call('staff', 'recordPurchase', { counterToken, amount: 1000, payMethod: 'cash', requestId: requestId() })
    expect(answer).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
  })

  test("a member sees only their own orders and coupons: another member's are NOT_FOUND", async () => {
    const owner = await joinMember(url)
    const other = await joinMember(url)
    const { coupons } = await owner.caller.ok('coupon', 'wallet', {})
    expect(coupons.length).toBeGreaterThan(0)
    expect(await other.caller.call('coupon', 'code', { couponId: coupons[0].couponId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    await callerFor(url, null).ok('admin', 'bulkGrant', { batchId: `roles-${Date.now()}`, memberIds: [owner.memberId], points: 1000, reason: '测试' })
    const { order } = await owner.caller.ok('mall', 'exchange', { productId: 'p-lipbalm', fulfilment: { type: 'pickup', storeId: 's-jingan' }, requestId: requestId() })
    expect(await other.caller.call('order', 'detail', { orderId: order.orderId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await other.caller.call('order', 'cancel', { orderId: order.orderId, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
