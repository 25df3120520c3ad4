import { DEMO_CLERK_OPENID, DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { callerFor, newOpenid } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const clerk = () => callerFor(emulator.adminUrl, DEMO_CLERK_OPENID)

describe('staff roles', () => {
  test.each([
    ['me', {}],
    ['verifyMemberCode', { code: '812345678901234567' }],
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

  test('a code is 18 digits, starting 8 (会员码)', async () => {
    const { code } = await callerFor(emulator.adminUrl, DEMO_MEMBER_OPENID).ok('member', 'card', {})
    expect(code).toMatch(/^8\d{17}$/)
  })

  test('a code of the right shape that no one was shown, or a changed digit, is refused with INVALID_ARGUMENT', async () => {
    const { code } = await callerFor(emulator.adminUrl, DEMO_MEMBER_OPENID).ok('member', 'card', {})
    const changed = code.slice(0, 17) + String((Number(code[17]) + 1) % 10)
    expect(await clerk().call('staff', 'verifyMemberCode', { code: changed })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', reason: 'CODE_INVALID' } })
    expect(await clerk().call('staff', 'verifyMemberCode', { code: `7${code.slice(1)}` })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', reason: 'CODE_INVALID' } })
    expect(await clerk().call('staff', 'verifyMemberCode', { code: code.slice(1) })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', reason: 'CODE_INVALID' } })
    expect((await clerk().ok('staff', 'verifyMemberCode', { code })).member.nickname).toBe('林小雨')
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
