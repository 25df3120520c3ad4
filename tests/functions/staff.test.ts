import { signMemberCode } from '../../domain/membership/member-code'
import { LOCAL_FUNCTION_SETTINGS } from '../../emulator/emulator'
import { DEMO_CLERK_OPENID, DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { callerFor, newOpenid } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const clerk = () => callerFor(emulator.adminUrl, DEMO_CLERK_OPENID)
const secret = LOCAL_FUNCTION_SETTINGS.MEMBER_CODE_SECRET

describe('staff roles', () => {
  test.each([
    ['me', {}],
    ['verifyMemberCode', { code: '10000001.abcdef.ABCDEFGHIJKLMNOP' }],
    ['channelMembers', {}],
  ] as const)('a consumer calling staff.%s gets PERMISSION_DENIED', async (action, input) => {
    const consumer = callerFor(emulator.adminUrl, DEMO_MEMBER_OPENID)
    expect(await consumer.call('staff', action, input as never)).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
  })

  test('a call without a WeChat user is UNAUTHENTICATED', async () => {
    expect(await callerFor(emulator.adminUrl, null).call('staff', 'me', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
  })

  test('a clerk sees who they are and where they work', async () => {
    expect((await clerk().ok('staff', 'me', {})).staff).toEqual({
      staffId: 'st-li',
      name: '李晓梅',
      role: 'clerk',
      storeId: 's-jingan',
      storeName: '上海静安嘉里中心店',
      channelId: 'c-li',
    })
  })
})

describe('staff.verifyMemberCode', () => {
  test("a fresh code from the member's card shows the member, phone masked", async () => {
    const { code } = await callerFor(emulator.adminUrl, DEMO_MEMBER_OPENID).ok('member', 'card', {})
    const { member, maskedPhone } = await clerk().ok('staff', 'verifyMemberCode', { code })
    expect(member.nickname).toBe('林小雨')
    expect(member.tier.name).toBe('金卡会员')
    expect(maskedPhone).toBe('138****5678')
  })

  test('an expired code is refused with FAILED_PRECONDITION', async () => {
    const { code } = signMemberCode('10000001', Date.now() - 120_000, secret)
    expect(await clerk().call('staff', 'verifyMemberCode', { code })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
  })

  test('a tampered code is refused with INVALID_ARGUMENT', async () => {
    const { code } = await callerFor(emulator.adminUrl, DEMO_MEMBER_OPENID).ok('member', 'card', {})
    const tampered = code.replace(/^10000001/, '10000002')
    expect(await clerk().call('staff', 'verifyMemberCode', { code: tampered })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    const forged = signMemberCode('10000001', Date.now(), 'a-secret-the-attacker-guessed').code
    expect(await clerk().call('staff', 'verifyMemberCode', { code: forged })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
  })
})

describe('staff.channelMembers (follow tracking)', () => {
  test("a visitor who joins through clerk Li's code appears first in Li's list, not in Zhao's", async () => {
    const before = await clerk().ok('staff', 'channelMembers', {})
    const { member } = await callerFor(emulator.adminUrl, newOpenid('visitor')).ok('member', 'join', { scene: 'c-li' })
    const after = await clerk().ok('staff', 'channelMembers', {})
    expect(after.channel).toEqual({ id: 'c-li', name: '李晓梅的专属码' })
    expect(after.total).toBe(before.total + 1)
    expect(after.members[0]).toMatchObject({ memberNo: member.memberNo, nickname: member.nickname })
    const zhao = await callerFor(emulator.adminUrl, 'o_demo_clerk_zhaolei').ok('staff', 'channelMembers', {})
    expect(zhao.members.map((m) => m.memberNo)).not.toContain(member.memberNo)
  })
})
