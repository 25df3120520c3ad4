/**
 * The role rules the router applies (domain/contract/roles.ts): who a set admits, and when the
 * router must read the caller's staff row to know. tests/functions/roles.test.ts checks every
 * action of the contract through the emulator; this covers the sets no action uses yet.
 */
import { admits, ANYONE, COUNTER, HEAD_OFFICE, IN_WECHAT, MEMBER, needsStaffLookup, ROLES, STAFF_ROLES, STORE_MANAGER, type CallerRoles, type Role } from '../../../domain/contract'

const consoleCaller: CallerRoles = { wechat: false, staffRole: null }
const wechatUser: CallerRoles = { wechat: true, staffRole: null }
const staff = (staffRole: CallerRoles['staffRole']): CallerRoles => ({ wechat: true, staffRole })

describe('roles', () => {
  test('the roles are one list: WeChat users, the staff roles, the console', () => {
    expect(ROLES).toEqual(['wechat', 'member', ...STAFF_ROLES, 'console'])
  })

  test.each([
    ['ANYONE', ANYONE, [true, true, true, true]],
    ['IN_WECHAT', IN_WECHAT, [false, true, true, true]],
    ['MEMBER', MEMBER, [false, true, true, true]],
    ['COUNTER', COUNTER, [false, false, true, true]],
    ['STORE_MANAGER', STORE_MANAGER, [false, false, false, true]],
    ['HEAD_OFFICE', HEAD_OFFICE, [true, false, false, false]],
  ] as const)('%s admits [console, WeChat user, clerk, manager] = %j', (_name, roles, expected) => {
    expect([consoleCaller, wechatUser, staff('clerk'), staff('manager')].map((caller) => admits(roles, caller))).toEqual(expected)
  })

  test('a head-office admin is admitted where a set names admin, and as any WeChat user', () => {
    expect([COUNTER, STORE_MANAGER, HEAD_OFFICE, MEMBER, IN_WECHAT, ANYONE].every((roles) => admits(roles, staff('admin')))).toBe(true)
  })

  test('a set is a union: any one role it names admits the caller', () => {
    const roles: Role[] = ['console', 'manager']
    expect([consoleCaller, staff('manager'), staff('clerk'), wechatUser].map((caller) => admits(roles, caller))).toEqual([true, true, false, false])
  })

  test('the staff row is read only when no role every WeChat user holds would admit the caller', () => {
    expect(needsStaffLookup(COUNTER)).toBe(true)
    expect(needsStaffLookup(STORE_MANAGER)).toBe(true)
    expect(needsStaffLookup(HEAD_OFFICE)).toBe(true)
    for (const roles of [MEMBER, IN_WECHAT, ANYONE, ['member', 'clerk'] as Role[], ['console'] as Role[]]) expect(needsStaffLookup(roles)).toBe(false)
  })
})
