import { DEMO_CLERK_OPENID } from '../../emulator/seed'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor, newOpenid, requestId } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const db = () => adminApp(emulator.adminUrl).database()

/** A phone authorisation code: the emulator's WeChat gives the same number for the same code. */
const PHONE_CODE = 'card-owner-phone'

/** A member with a phone on file (bound through WeChat's phone authorisation). */
async function newMember() {
  const openid = newOpenid('card')
  const caller = callerFor(emulator.adminUrl, openid)
  const { member } = await caller.ok('member', 'join', {})
  await caller.ok('member', 'bindPhone', { code: PHONE_CODE })
  return { openid, caller, memberId: member.memberId, memberNo: member.memberNo }
}

interface StoredCardEvent {
  action: string
  by: string
  requestId: string
  from: string
  to: string
  at: Date
}

async function memberDoc(memberId: string) {
  const { data } = await db().collection('members').doc(memberId).get()
  return data[0] as { status: string; points: number; cardEvents?: StoredCardEvent[] }
}

describe('member.reportLoss / cancelLoss (挂失 / 解挂)', () => {
  test('a lost card cannot check in or show its member code; cancelling the loss restores both', async () => {
    const { caller, memberId } = await newMember()
    const { code } = await caller.ok('member', 'card', {})
    expect(await caller.ok('member', 'reportLoss', { requestId: requestId() })).toEqual({ status: 'lost' })

    const checkin = await caller.call('loyalty', 'checkin', { requestId: requestId() })
    expect(checkin).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(!checkin.ok && checkin.error.reason).toBe('CARD_LOST')
    const card = await caller.call('member', 'card', {})
    expect(card).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(!card.ok && card.error.reason).toBe('CARD_LOST')
    const pointsWhileLost = (await memberDoc(memberId)).points
    // a code shown before the loss is refused at the counter too
    const scanned = await callerFor(emulator.adminUrl, DEMO_CLERK_OPENID).call('staff', 'verifyMemberCode', { code })
    expect(scanned).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(!scanned.ok && scanned.error.reason).toBe('CARD_LOST')

    expect(await caller.ok('member', 'cancelLoss', { phoneCode: PHONE_CODE, requestId: requestId() })).toEqual({ status: 'active' })
    expect((await caller.ok('member', 'card', {})).code).toBeTruthy()
    const after = await caller.ok('loyalty', 'checkin', { requestId: requestId() })
    expect(after.points).toBe(pointsWhileLost + 10)
    expect((await memberDoc(memberId)).cardEvents?.map((event) => [event.action, event.by, event.from, event.to])).toEqual([
      ['reportLoss', 'member', 'active', 'lost'],
      ['cancelLoss', 'member', 'lost', 'active'],
    ])
  })

  test('解除挂失 on the phone needs the number on file: another number, or none on file, is refused and the card stays lost; a replay is answered without a new check', async () => {
    const { caller, memberId } = await newMember()
    await caller.ok('member', 'reportLoss', { requestId: requestId() })
    expect(await caller.call('member', 'cancelLoss', { phoneCode: 'someone-elses-phone', requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED', reason: 'PHONE_MISMATCH', message: '授权的手机号与会员登记的不一致，请到门店办理' },
    })
    expect(await caller.call('member', 'cancelLoss', { phoneCode: 'invalid', requestId: requestId() })).toMatchObject({ ok: false, error: { reason: 'PHONE_CODE_INVALID' } })
    expect((await memberDoc(memberId)).status).toBe('lost')
    const cancel = requestId()
    expect(await caller.ok('member', 'cancelLoss', { phoneCode: PHONE_CODE, requestId: cancel })).toEqual({ status: 'active' })
    // the same request again (its code used up, or another one) answers what it did
    expect(await caller.ok('member', 'cancelLoss', { phoneCode: 'invalid', requestId: cancel })).toEqual({ status: 'active' })
    expect((await memberDoc(memberId)).cardEvents?.map((event) => event.action)).toEqual(['reportLoss', 'cancelLoss'])

    const noPhone = callerFor(emulator.adminUrl, newOpenid('card'))
    const { member } = await noPhone.ok('member', 'join', {})
    await noPhone.ok('member', 'reportLoss', { requestId: requestId() })
    expect(await noPhone.call('member', 'cancelLoss', { phoneCode: PHONE_CODE, requestId: requestId() })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', reason: 'PHONE_NOT_BOUND', message: '你还没有绑定手机号，请到门店由店员核验后解除挂失' },
    })
    expect((await memberDoc(member.memberId)).status).toBe('lost')
  })

  test('20 concurrent reportLoss calls: one succeeds, one cardEvents item; the others are refused', async () => {
    const { caller, memberId } = await newMember()
    const answers = await Promise.all(Array.from({ length: 20 }, () => caller.call('member', 'reportLoss', { requestId: requestId() })))
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1)
    expect(answers.filter((answer) => !answer.ok && answer.error.code === 'FAILED_PRECONDITION')).toHaveLength(19)
    const member = await memberDoc(memberId)
    expect(member.status).toBe('lost')
    expect(member.cardEvents).toHaveLength(1)
  })

  test('20 concurrent retries of one reportLoss (same requestId) all answer lost and apply once', async () => {
    const { caller, memberId } = await newMember()
    const id = requestId()
    const answers = await Promise.all(Array.from({ length: 20 }, () => caller.call('member', 'reportLoss', { requestId: id })))
    expect(answers.every((answer) => answer.ok && answer.data.status === 'lost')).toBe(true)
    expect((await memberDoc(memberId)).cardEvents).toHaveLength(1)
  })

  test('a retry with the same requestId gets the same answer, even after the card changed since', async () => {
    const { caller, memberId } = await newMember()
    const lossId = requestId()
    const cancelId = requestId()
    expect(await caller.ok('member', 'reportLoss', { requestId: lossId })).toEqual({ status: 'lost' })
    expect(await caller.ok('member', 'reportLoss', { requestId: lossId })).toEqual({ status: 'lost' })
    expect(await caller.ok('member', 'cancelLoss', { phoneCode: PHONE_CODE, requestId: cancelId })).toEqual({ status: 'active' })
    expect(await caller.ok('member', 'cancelLoss', { phoneCode: PHONE_CODE, requestId: cancelId })).toEqual({ status: 'active' })
    expect(await caller.ok('member', 'reportLoss', { requestId: lossId })).toEqual({ status: 'lost' })
    const member = await memberDoc(memberId)
    expect(member.status).toBe('active')
    expect(member.cardEvents?.map((event) => event.requestId)).toEqual([lossId, cancelId])
  })

  test('cancelLoss on an active card is refused; a second reportLoss (new request) on a lost card is refused', async () => {
    const { caller, memberId } = await newMember()
    expect(await caller.call('member', 'cancelLoss', { phoneCode: PHONE_CODE, requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    await caller.ok('member', 'reportLoss', { requestId: requestId() })
    expect(await caller.call('member', 'reportLoss', { requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect((await memberDoc(memberId)).cardEvents).toHaveLength(1)
  })

  test('a frozen card (frozen by staff) cannot be un-lost or un-frozen by the member', async () => {
    const { caller, memberId } = await newMember()
    await caller.ok('member', 'reportLoss', { requestId: requestId() })
    await db().collection('members').doc(memberId).update({ status: 'frozen' })
    const answer = await caller.call('member', 'cancelLoss', { phoneCode: PHONE_CODE, requestId: requestId() })
    expect(answer).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
    expect(!answer.ok && answer.error.reason).toBe('CARD_FROZEN')
    const card = await caller.call('member', 'card', {})
    expect(!card.ok && card.error.reason).toBe('CARD_FROZEN')
    expect((await memberDoc(memberId)).status).toBe('frozen')
  })

  test('bad input is INVALID_ARGUMENT on requestId; no WeChat user is UNAUTHENTICATED; a non-member is NOT_FOUND', async () => {
    const { caller, memberId } = await newMember()
    expect(await caller.call('member', 'reportLoss', { requestId: 'short' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'requestId' }] } })
    expect((await memberDoc(memberId)).status).toBe('active')
    expect(await callerFor(emulator.adminUrl, null).call('member', 'reportLoss', { requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect(await callerFor(emulator.adminUrl, newOpenid()).call('member', 'reportLoss', { requestId: requestId() })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})

describe('member.card', () => {
  test('couponsCount counts only this member’s unused coupons', async () => {
    const { caller, memberId } = await newMember()
    // a new member holds the welcome coupon (config/gifts)
    expect((await caller.ok('member', 'card', {})).couponsCount).toBe(1)
    await db().collection('coupons').add({ memberId, status: 'unused', templateId: 't-test' })
    await db().collection('coupons').add({ memberId, status: 'unused', templateId: 't-test' })
    await db().collection('coupons').add({ memberId, status: 'used', templateId: 't-test' })
    await db().collection('coupons').add({ memberId: 'm_someone_else', status: 'unused', templateId: 't-test' })
    expect((await caller.ok('member', 'card', {})).couponsCount).toBe(3)
  })
})
