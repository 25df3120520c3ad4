import { phoneForCode } from '../../emulator/wechat'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor, newOpenid } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const db = () => adminApp(emulator.adminUrl).database()

async function newMember(label = 'profile') {
  const openid = newOpenid(label)
  const caller = callerFor(emulator.adminUrl, openid)
  const { member } = await caller.ok('member', 'join', {})
  return { openid, caller, memberId: member.memberId, memberNo: member.memberNo }
}

async function memberDoc(memberId: string): Promise<Record<string, unknown>> {
  const { data } = await db().collection('members').doc(memberId).get()
  return data[0] as Record<string, unknown>
}

interface WeChatCall {
  apiName: string
  request: Record<string, unknown>
  errcode: number
}

async function wechatCalls(api: string): Promise<WeChatCall[]> {
  const response = await fetch(`${emulator.url}/emulator/wechat-calls?api=${encodeURIComponent(api)}`)
  return ((await response.json()) as { calls: WeChatCall[] }).calls
}

const address = (n: number, isDefault = false) => ({ name: `收件人${n}`, phone: '13900000000', region: '上海市 静安区', detail: `南京西路 ${n} 号`, isDefault })

describe('member.profile and updateProfile', () => {
  test('a new member has an empty profile; profile also carries the member view', async () => {
    const { caller, memberNo } = await newMember()
    const { member, profile } = await caller.ok('member', 'profile', {})
    expect(member.memberNo).toBe(memberNo)
    expect(profile).toEqual({
      nickname: member.nickname,
      name: null,
      gender: 'unknown',
      birthday: null,
      birthdayLocked: false,
      phoneMasked: null,
      addresses: [],
      consent: null,
      deletionRequestedAt: null,
      payPassword: { state: 'unset', requiredAbove: 20000 },
    })
  })

  test('the nickname is editable and is what the member view (the card) shows; blank is refused', async () => {
    const caller = callerFor(emulator.adminUrl, newOpenid('nick'))
    await caller.ok('member', 'join', { nickname: '小鹿' })
    expect((await caller.ok('member', 'updateProfile', { nickname: '  小鹿斑比 ' })).profile.nickname).toBe('小鹿斑比')
    expect((await caller.ok('member', 'profile', {})).member.nickname).toBe('小鹿斑比')
    expect(await caller.call('member', 'updateProfile', { nickname: '   ' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'nickname' }] } })
    expect((await caller.ok('member', 'profile', {})).member.nickname).toBe('小鹿斑比')
  })

  test('the birthday can be set once; a second, different one is refused and nothing changes', async () => {
    const { caller, memberId } = await newMember()
    const first = await caller.ok('member', 'updateProfile', { name: '张三', gender: 'male', birthday: '1990-05-01' })
    expect(first.profile).toMatchObject({ name: '张三', gender: 'male', birthday: '1990-05-01', birthdayLocked: true })

    const second = await caller.call('member', 'updateProfile', { name: '李四', birthday: '1991-01-01' })
    expect(second).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', reason: 'BIRTHDAY_LOCKED' } })
    expect(await memberDoc(memberId)).toMatchObject({ profile: { name: '张三', birthday: '1990-05-01', birthdayLocked: true } })

    // the same date again (a retry) is harmless, and name and gender stay editable
    const again = await caller.ok('member', 'updateProfile', { name: '张小三', birthday: '1990-05-01' })
    expect(again.profile).toMatchObject({ name: '张小三', birthday: '1990-05-01', birthdayLocked: true })
  })

  test('30 concurrent first birthdays: exactly one date is stored and every other answer is the refusal', async () => {
    const { caller, memberId } = await newMember()
    const days = Array.from({ length: 30 }, (_, i) => `1990-${String((i % 12) + 1).padStart(2, '0')}-${String(i + 1).padStart(2, '0')}`)
    const answers = await Promise.all(days.map((birthday) => caller.call('member', 'updateProfile', { birthday })))
    const ok = answers.filter((answer) => answer.ok)
    expect(ok).toHaveLength(1)
    expect(answers.filter((answer) => !answer.ok && answer.error.code === 'FAILED_PRECONDITION')).toHaveLength(29)
    const stored = (await memberDoc(memberId)).profile as { birthday: string }
    expect(ok[0].ok && ok[0].data.profile.birthday).toBe(stored.birthday)
  })

  test('bad input is INVALID_ARGUMENT with the field paths, and nothing is written', async () => {
    const { caller, memberId } = await newMember()
    const before = await memberDoc(memberId)
    const answer = await caller.call('member', 'updateProfile', { name: '', gender: 'robot' as never, birthday: '1990-5-1' })
    expect(answer.ok).toBe(false)
    if (answer.ok) return
    expect(answer.error.code).toBe('INVALID_ARGUMENT')
    expect(answer.error.fields?.map((field) => field.path).sort()).toEqual(['birthday', 'gender', 'name'])
    const impossible = await caller.call('member', 'updateProfile', { birthday: '2001-02-29' })
    expect(impossible).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'birthday' }] } })
    expect(await memberDoc(memberId)).toEqual(before)
  })

  test('no WeChat user is UNAUTHENTICATED for every personal action; a non-member is NOT_FOUND', async () => {
    const anonymous = callerFor(emulator.adminUrl, null)
    for (const [action, input] of [
      ['profile', {}],
      ['updateProfile', { name: 'x' }],
      ['bindPhone', { code: 'abc' }],
      ['saveAddress', address(1)],
      ['removeAddress', { id: 'a1' }],
      ['recordConsent', { version: 'v1' }],
      ['exportData', {}],
      ['requestDeletion', {}],
    ] as const) {
      expect(await anonymous.call('member', action, input as never)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    }
    const stranger = callerFor(emulator.adminUrl, newOpenid('stranger'))
    expect(await stranger.call('member', 'updateProfile', { name: 'x' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await stranger.call('member', 'exportData', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})

describe('member.bindPhone (WeChat phone authorisation)', () => {
  test('the code is exchanged through the phonenumber.getPhoneNumber port; the number is stored and shown masked', async () => {
    const { caller, memberId } = await newMember()
    const code = `phone-code-${Date.now()}`
    const { profile } = await caller.ok('member', 'bindPhone', { code })
    const phone = phoneForCode(code)
    expect(phone).toMatch(/^1[3-9]\d{9}$/)
    expect(profile.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`)
    expect(JSON.stringify(profile)).not.toContain(phone)
    expect((await memberDoc(memberId)).phone).toBe(phone)
    const calls = await wechatCalls('phonenumber.getPhoneNumber')
    expect(calls.filter((call) => call.request.code === code)).toEqual([expect.objectContaining({ errcode: 0, request: { code } })])
    expect((await caller.ok('member', 'profile', {})).profile.phoneMasked).toBe(profile.phoneMasked)
  })

  test('an invalid code (WeChat 40029) is refused on the code field and stores nothing', async () => {
    const { caller, memberId } = await newMember()
    const answer = await caller.call('member', 'bindPhone', { code: 'invalid' })
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'code' }] } })
    expect((await memberDoc(memberId)).phone).toBeNull()
    const calls = await wechatCalls('phonenumber.getPhoneNumber')
    expect(calls.some((call) => call.request.code === 'invalid' && call.errcode === 40029)).toBe(true)
  })
})

describe('member.saveAddress / removeAddress', () => {
  test('ids are made by the server; the first address is the default; a new default replaces the old one', async () => {
    const { caller } = await newMember()
    const one = await caller.ok('member', 'saveAddress', { ...address(1), id: undefined })
    expect(one.addresses).toHaveLength(1)
    expect(one.addresses[0]).toMatchObject({ isDefault: true, detail: '南京西路 1 号' })
    expect(one.addresses[0].id).toMatch(/^a_[0-9a-f]{16}$/)
    const two = await caller.ok('member', 'saveAddress', address(2, true))
    expect(two.addresses.map((entry) => entry.isDefault)).toEqual([false, true])
    const edited = await caller.ok('member', 'saveAddress', { ...address(3), id: one.addresses[0].id })
    expect(edited.addresses.map((entry) => [entry.id, entry.detail])).toEqual([
      [one.addresses[0].id, '南京西路 3 号'],
      [two.addresses[1].id, '南京西路 2 号'],
    ])
  })

  test('at most 10 addresses: the 11th is refused and not stored', async () => {
    const { caller, memberId } = await newMember()
    for (let i = 0; i < 10; i++) await caller.ok('member', 'saveAddress', address(i))
    expect(await caller.call('member', 'saveAddress', address(11))).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(((await memberDoc(memberId)).addresses as unknown[]).length).toBe(10)
  })

  test('10 concurrent saves all land (none lost), with exactly one default', async () => {
    const { caller, memberId } = await newMember()
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => caller.call('member', 'saveAddress', address(i, i % 3 === 0))))
    expect(answers.every((answer) => answer.ok)).toBe(true)
    const stored = (await memberDoc(memberId)).addresses as { isDefault: boolean }[]
    expect(stored).toHaveLength(10)
    expect(stored.filter((entry) => entry.isDefault)).toHaveLength(1)
  })

  test('removing the default moves the default to the first remaining address; an unknown id is NOT_FOUND', async () => {
    const { caller } = await newMember()
    await caller.ok('member', 'saveAddress', address(1))
    await caller.ok('member', 'saveAddress', address(2))
    const { addresses } = await caller.ok('member', 'saveAddress', address(3, true))
    const after = await caller.ok('member', 'removeAddress', { id: addresses[2].id })
    expect(after.addresses.map((entry) => [entry.detail, entry.isDefault])).toEqual([
      ['南京西路 1 号', true],
      ['南京西路 2 号', false],
    ])
    expect(await caller.call('member', 'removeAddress', { id: addresses[2].id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  test('a bad phone or a missing field is INVALID_ARGUMENT naming the fields, nothing stored', async () => {
    const { caller, memberId } = await newMember()
    const answer = await caller.call('member', 'saveAddress', { name: '王五', phone: '12345', region: '上海', detail: '' } as never)
    expect(answer.ok).toBe(false)
    if (answer.ok) return
    expect(answer.error.code).toBe('INVALID_ARGUMENT')
    expect(answer.error.fields?.map((field) => field.path).sort()).toEqual(['detail', 'phone'])
    expect((await memberDoc(memberId)).addresses).toEqual([])
  })
})

describe('consent, export and deletion request', () => {
  test('consent is stored with its version and time', async () => {
    const { caller, memberId } = await newMember()
    const before = Date.now()
    const { profile } = await caller.ok('member', 'recordConsent', { version: '2026-03' })
    expect(profile.consent?.version).toBe('2026-03')
    expect(Date.parse(profile.consent!.at)).toBeGreaterThanOrEqual(before - 1000)
    expect((await memberDoc(memberId)).consent).toMatchObject({ version: '2026-03' })
  })

  test("the export holds the member's own profile, addresses, ledger, tier history and consent; nothing of another member and no internal fields", async () => {
    const self = await newMember('export-self')
    const other = await newMember('export-other')
    await self.caller.ok('member', 'updateProfile', { name: '自己', birthday: '1992-02-02' })
    await self.caller.ok('member', 'saveAddress', address(7))
    await self.caller.ok('member', 'recordConsent', { version: '2026-03' })
    await self.caller.ok('loyalty', 'checkin', { requestId: `req_export_${Date.now()}` })
    await other.caller.ok('member', 'updateProfile', { name: '别人' })
    await other.caller.ok('member', 'saveAddress', { ...address(8), detail: '别人的地址 8 号' })
    const otherCode = `phone-other-${Date.now()}`
    await other.caller.ok('member', 'bindPhone', { code: otherCode })

    const { exportedAt, data } = await self.caller.ok('member', 'exportData', {})
    expect(Date.parse(exportedAt)).toBeGreaterThan(0)
    const text = JSON.stringify(data)
    expect(data).toMatchObject({
      member: { memberNo: self.memberNo, tier: '银卡会员', cardType: '个人卡' },
      profile: { name: '自己', birthday: '1992-02-02' },
      consent: { version: '2026-03' },
      tierHistory: [{ from: null, to: '银卡会员', reason: 'join' }],
    })
    expect((data.addresses as { detail: string }[]).map((entry) => entry.detail)).toEqual(['南京西路 7 号'])
    const ledger = data.ledger as { kind: string; points: number }[]
    expect(ledger.map((entry) => entry.kind).sort()).toEqual(['checkin', 'join'])
    expect(ledger.reduce((sum, entry) => sum + entry.points, 0)).toBe((data.member as { points: number }).points)

    for (const foreign of [other.memberId, other.memberNo, other.openid, '别人', phoneForCode(otherCode)]) expect(text).not.toContain(foreign)
    for (const internal of [self.openid, 'appliedEntries', 'outbox', 'referrerStaffId', 'requestId', 'addressRev']) expect(text).not.toContain(internal)
  })

  test('a deletion request records the first time; the member keeps working until head office processes it', async () => {
    const { caller, memberId } = await newMember()
    const { deletionRequestedAt } = await caller.ok('member', 'requestDeletion', { reason: '不再使用' })
    expect(Date.parse(deletionRequestedAt)).toBeGreaterThan(Date.now() - 60_000)
    const again = await caller.ok('member', 'requestDeletion', {})
    expect(again.deletionRequestedAt).toBe(deletionRequestedAt)
    expect((await caller.ok('member', 'profile', {})).profile.deletionRequestedAt).toBe(deletionRequestedAt)
    const { data } = await db().collection('deletion_requests').doc(memberId).get()
    expect(data[0]).toMatchObject({ memberId, status: 'pending', reason: '不再使用' })
    // still a working member
    expect((await caller.ok('member', 'card', {})).code).toBeTruthy()
    expect((await caller.ok('loyalty', 'checkin', { requestId: `req_del_${Date.now()}` })).points).toBeGreaterThan(0)
  })
})
