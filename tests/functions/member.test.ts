import { memberIdFor } from '../../domain/membership/member'
import { DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor, newOpenid } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const db = () => adminApp(emulator.adminUrl).database()

describe('member.join (连接即会员)', () => {
  test('joining needs no purchase and gives a silver card with the join points', async () => {
    const { member, created } = await callerFor(emulator.adminUrl, newOpenid()).ok('member', 'join', {})
    expect(created).toBe(true)
    expect(member.tier.name).toBe('银卡会员')
    expect(member.points).toBe(100)
    expect(member.balance).toBe(0)
    expect(member.memberNo).toMatch(/^\d{8}$/)
    expect(member.status).toBe('active')
  })

  test('joining twice returns the same member and writes nothing new', async () => {
    const openid = newOpenid()
    const caller = callerFor(emulator.adminUrl, openid)
    const first = await caller.ok('member', 'join', {})
    const second = await caller.ok('member', 'join', { scene: 'c-zhao' })
    expect(second.created).toBe(false)
    expect(second.member).toEqual(first.member)
    expect((await db().collection('members').where({ openid }).count()).total).toBe(1)
    expect((await db().collection('ledger').where({ memberId: first.member.memberId }).count()).total).toBe(1)
  })

  test('20 concurrent joins of one WeChat user make exactly one member and one join entry', async () => {
    const openid = newOpenid('race')
    const caller = callerFor(emulator.adminUrl, openid)
    const answers = await Promise.all(Array.from({ length: 20 }, () => caller.ok('member', 'join', { scene: 'c-li' })))
    expect(new Set(answers.map((answer) => answer.member.memberNo)).size).toBe(1)
    expect(answers.filter((answer) => answer.created).length).toBe(1)
    expect((await db().collection('members').where({ openid }).count()).total).toBe(1)
    const ledger = await db()
      .collection('ledger')
      .where({ memberId: memberIdFor(openid) })
      .get()
    expect(ledger.data.length).toBe(1)
    expect(answers[0].member.points).toBe(100)
  })

  test("a join through a clerk's channel scene is attributed to that clerk", async () => {
    const openid = newOpenid()
    const { member } = await callerFor(emulator.adminUrl, openid).ok('member', 'join', { scene: 'c-li' })
    expect(member.channel).toEqual({ id: 'c-li', name: '李晓梅的专属码' })
    const { data } = await db().collection('members').doc(member.memberId).get()
    expect(data[0]).toMatchObject({ channelId: 'c-li', referrerStaffId: 'st-li', openid })
  })

  test('an unknown scene (an old printed code) still lets the visitor join, unattributed', async () => {
    const { member, created } = await callerFor(emulator.adminUrl, newOpenid()).ok('member', 'join', { scene: 'c-gone' })
    expect(created).toBe(true)
    expect(member.channel).toBeNull()
  })

  test('bad input is INVALID_ARGUMENT naming the field, and writes nothing', async () => {
    const openid = newOpenid()
    const answer = await callerFor(emulator.adminUrl, openid).call('member', 'join', { scene: 'x'.repeat(33) })
    expect(answer.ok).toBe(false)
    if (answer.ok) return
    expect(answer.error.code).toBe('INVALID_ARGUMENT')
    expect(answer.error.fields?.map((field) => field.path)).toEqual(['scene'])
    expect((await db().collection('members').where({ openid }).count()).total).toBe(0)
  })

  test('an unknown action and a non-object input are INVALID_ARGUMENT', async () => {
    const caller = callerFor(emulator.adminUrl, newOpenid())
    expect(await caller.raw('member', { action: 'deleteEverything' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    expect(await caller.raw('member', { action: 'join', input: 'hello' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
  })

  test('identity comes from the WeChat context: an openid in the body is ignored', async () => {
    const openid = newOpenid()
    const answer = (await callerFor(emulator.adminUrl, openid).raw('member', {
      action: 'join',
      input: {},
      openid: DEMO_MEMBER_OPENID,
    })) as { ok: boolean; data: { member: { memberId: string } } }
    expect(answer.data.member.memberId).toBe(memberIdFor(openid))
  })

  test('a call with no WeChat user (console) cannot join: UNAUTHENTICATED', async () => {
    const before = (await db().collection('members').count()).total
    expect(await callerFor(emulator.adminUrl, null).call('member', 'join', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect((await db().collection('members').count()).total).toBe(before)
  })

  test('concurrent invocations from different users never see each other’s identity', async () => {
    const openids = Array.from({ length: 40 }, (_, i) => newOpenid(`iso${i}`))
    const answers = await Promise.all(openids.map((openid) => callerFor(emulator.adminUrl, openid).ok('member', 'join', {})))
    answers.forEach((answer, i) => expect(answer.member.memberId).toBe(memberIdFor(openids[i])))
    const profiles = await Promise.all(openids.map((openid) => callerFor(emulator.adminUrl, openid).ok('member', 'profile', {})))
    profiles.forEach((profile, i) => expect(profile.member.memberNo).toBe(answers[i].member.memberNo))
  })
})

describe('member.profile and member.card', () => {
  test('someone who has not joined gets NOT_FOUND', async () => {
    const caller = callerFor(emulator.adminUrl, newOpenid())
    expect(await caller.call('member', 'profile', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await caller.call('member', 'card', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  test('the card carries a member code that expires in 60 s and asks to be refreshed before that', async () => {
    const before = Date.now()
    const card = await callerFor(emulator.adminUrl, DEMO_MEMBER_OPENID).ok('member', 'card', {})
    expect(card.member.nickname).toBe('林小雨')
    expect(card.member.tier.name).toBe('金卡会员')
    expect(card.code).toMatch(/^8\d{17}$/)
    expect(card.expiresAt - before).toBeGreaterThan(55_000)
    expect(card.expiresAt - before).toBeLessThanOrEqual(61_000)
    expect(card.refreshAfterMs).toBeLessThan(card.expiresAt - before)
  })
})

describe('member.stores', () => {
  test('anyone — a member, a visitor who has not joined, the console — gets the stores of the stores collection, by id', async () => {
    // before the member function first reads the stores (a warm instance keeps them for minutes)
    await db().collection('stores').add({ _id: 's-test-nocity', name: '测试门店' })
    const expected = [
      { id: 's-jingan', name: '上海静安嘉里中心店', city: '上海' },
      { id: 's-test-nocity', name: '测试门店', city: null },
      { id: 's-xuhui', name: '上海徐汇港汇恒隆店', city: '上海' },
    ]
    expect((await callerFor(emulator.adminUrl, DEMO_MEMBER_OPENID).ok('member', 'stores', {})).stores).toEqual(expected)
    const visitor = callerFor(emulator.adminUrl, newOpenid('visitor'))
    expect(await visitor.call('member', 'profile', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect((await visitor.ok('member', 'stores', {})).stores).toEqual(expected)
    expect((await callerFor(emulator.adminUrl, null).ok('member', 'stores', {})).stores).toEqual(expected)
    expect(await visitor.call('member', 'stores', { city: '上海' } as never)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
  })
})

describe('consent at joining', () => {
  test('the privacy policy version the join page showed is recorded with the join; without one, none is', async () => {
    const withConsent = callerFor(emulator.adminUrl, newOpenid('consent'))
    const joined = await withConsent.ok('member', 'join', { consentVersion: '2026-01' })
    expect(joined.created).toBe(true)
    expect((await withConsent.ok('member', 'profile', {})).profile.consent).toEqual({ version: '2026-01', at: expect.any(String) })
    const without = callerFor(emulator.adminUrl, newOpenid('consent'))
    await without.ok('member', 'join', {})
    expect((await without.ok('member', 'profile', {})).profile.consent).toBeNull()
    expect(await callerFor(emulator.adminUrl, newOpenid('consent')).call('member', 'join', { consentVersion: 'latest' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', fields: [expect.objectContaining({ path: 'consentVersion' })] },
    })
  })
})
