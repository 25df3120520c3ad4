import type { ActionInput } from '../../domain/contract'
import { yearOf } from '../../domain/loyalty/expiry'
import { memberIdFor } from '../../domain/membership/member'
import { DEMO_CLERK_OPENID, DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { seedEntries } from '../support/members'
import { adminApp, callerFor, newOpenid, requestId } from '../support/functions'

let emulator: TestEmulator
const ADMIN_OPENID = 'o_test_admin_headoffice'
const MANAGER_OPENID = 'o_demo_manager_wangfang'

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  await db().collection('staff').add({ _id: 'st-admin', openid: ADMIN_OPENID, name: '总部管理员', role: 'admin', storeId: 's-jingan', channelId: null })
})
afterAll(() => emulator?.stop())

const db = () => adminApp(emulator.adminUrl).database()
const consoleCaller = () => callerFor(emulator.adminUrl, null)
const year = () => yearOf(Date.now())

async function newMember() {
  const openid = newOpenid()
  const caller = callerFor(emulator.adminUrl, openid)
  await caller.ok('member', 'join', {})
  return { openid, caller, memberId: memberIdFor(openid) }
}

interface MemberDoc {
  points: number
  pointsOwed: number
  balance: number
  tierId: string
  tierHistory: { from: string | null; to: string; reason: string }[]
  tierReviewedYear?: number
  outbox: Record<string, unknown>
}

async function memberDoc(memberId: string): Promise<MemberDoc> {
  const { data } = await db().collection('members').doc(memberId).get()
  return data[0] as MemberDoc
}

type AdminAction = 'validateConfig' | 'saveConfig' | 'bulkGrant' | 'runTierReview' | 'runPointsExpiry' | 'trimOutboxes' | 'checkInvariants' | 'markShipped'
const inputs = (): { [A in AdminAction]: ActionInput<'admin', A> } => ({
  validateConfig: {},
  // the seed's own silver tier: valid, and saving it again changes nothing
  saveConfig: { collection: 'tiers', document: { _id: 'silver', name: '银卡会员', rank: 1, growthThreshold: 0, discountPercent: 100, pointsMultiplier: 1, birthdayGiftPoints: 50 } },
  bulkGrant: { batchId: `roles-${Math.random().toString(36).slice(2, 10)}`, memberIds: [memberIdFor(DEMO_MEMBER_OPENID)], points: 7, reason: '角色测试' },
  runTierReview: { year: 2001 },
  runPointsExpiry: {},
  trimOutboxes: {},
  checkInvariants: { memberIds: [memberIdFor(DEMO_MEMBER_OPENID)] },
  markShipped: { orderId: 'no-such-order', carrier: '顺丰', trackingNo: 'SF0000000' },
})
const ACTIONS = Object.keys(inputs()) as AdminAction[]

describe('admin roles', () => {
  test.each(ACTIONS)('%s: a consumer, a clerk and a store manager get PERMISSION_DENIED and change nothing', async (action) => {
    const demoId = memberIdFor(DEMO_MEMBER_OPENID)
    const before = await memberDoc(demoId)
    for (const openid of [newOpenid('consumer'), DEMO_MEMBER_OPENID, DEMO_CLERK_OPENID, MANAGER_OPENID]) {
      const answer = await callerFor(emulator.adminUrl, openid).call('admin', action, inputs()[action] as never)
      expect(answer).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
    }
    expect(await memberDoc(demoId)).toEqual(before)
  })

  test.each(ACTIONS)('%s: the console (no WeChat user) and a head-office admin may run it', async (action) => {
    for (const caller of [consoleCaller(), callerFor(emulator.adminUrl, ADMIN_OPENID)]) {
      const answer = await caller.call('admin', action, inputs()[action] as never)
      if (action === 'markShipped') expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
      else expect(answer).toMatchObject({ ok: true })
    }
  })
})

describe('admin.bulkGrant', () => {
  test('grants each member once per batch; a second run grants nobody again and reports alreadyGranted for all', async () => {
    const members = await Promise.all([newMember(), newMember(), newMember()])
    const memberIds = members.map((member) => member.memberId)
    const batch = { batchId: `spring-${Date.now()}`, memberIds, points: 50, balance: 1000, reason: '春节回馈' }
    expect(await consoleCaller().ok('admin', 'bulkGrant', batch)).toEqual({ batchId: batch.batchId, granted: 3, alreadyGranted: 0, failed: [], runKey: expect.stringMatching(/^grant:/), done: true })
    const after = await Promise.all(memberIds.map(memberDoc))
    expect(after.map((member) => [member.points, member.balance])).toEqual([
      [150, 1000],
      [150, 1000],
      [150, 1000],
    ])
    expect(await consoleCaller().ok('admin', 'bulkGrant', batch)).toEqual({ batchId: batch.batchId, granted: 0, alreadyGranted: 3, failed: [], runKey: expect.stringMatching(/^grant:/), done: true })
    expect((await Promise.all(memberIds.map(memberDoc))).map((member) => [member.points, member.balance])).toEqual(after.map((member) => [member.points, member.balance]))
    const { data } = await db().collection('ledger').where({ memberId: memberIds[0], kind: 'grant' }).get()
    expect(data).toEqual([expect.objectContaining({ _id: `grant:${batch.batchId}:${memberIds[0]}`, points: 50, balance: 1000, description: '春节回馈' })])
    const balances = await members[0].caller.ok('loyalty', 'balanceLedger', {})
    expect(balances.entries.map((entry) => [entry.source, entry.change, entry.balanceAfter])).toEqual([['grant', 1000, 1000]])
  })

  test('reports each member it could not grant with a code; the others are granted', async () => {
    const ok = await newMember()
    const lost = await newMember()
    await lost.caller.ok('member', 'reportLoss', { requestId: requestId() })
    const batchId = `mixed-${Date.now()}`
    const result = await consoleCaller().ok('admin', 'bulkGrant', { batchId, memberIds: [ok.memberId, lost.memberId, 'm_nobody', 'bad.id'], points: 10, reason: '补偿' })
    expect(result.granted).toBe(1)
    expect(result.failed).toEqual([
      { memberId: lost.memberId, code: 'FAILED_PRECONDITION', reason: 'CARD_LOST', message: expect.any(String) },
      { memberId: 'm_nobody', code: 'NOT_FOUND', reason: 'NOT_A_MEMBER', message: expect.any(String) },
      { memberId: 'bad.id', code: 'INVALID_ARGUMENT', reason: 'INVALID_INPUT', message: expect.any(String) },
    ])
    expect((await memberDoc(lost.memberId)).points).toBe(100)
  })

  test('a batch of 200 members (posted 10 at a time) grants each once, even when the same batch runs twice at once', async () => {
    const memberIds = Array.from({ length: 200 }, (_, i) => `m_bulk_${i}`)
    await db()
      .collection('members')
      .add(
        memberIds.map((_id) => ({
          _id,
          points: 0,
          pointsOwed: 0,
          balance: 0,
          growth: 0,
          status: 'active',
          tierId: 'silver',
          tierHistory: [],
          entryCount: 0,
          outbox: {},
          lastEntryAt: null,
        })) as never,
      )
    const batch = { batchId: `bulk-${Date.now()}`, memberIds, points: 3, reason: '批量赠送' }
    const [a, b] = await Promise.all([consoleCaller().ok('admin', 'bulkGrant', batch), consoleCaller().ok('admin', 'bulkGrant', batch)])
    expect(a.granted + b.granted).toBe(200)
    expect(a.alreadyGranted + b.alreadyGranted).toBe(200)
    const { total } = await db()
      .collection('ledger')
      .where({ kind: 'grant', requestId: `grant-${batch.batchId}` })
      .count()
    expect(total).toBe(200)
    const invariants = await consoleCaller().ok('admin', 'checkInvariants', { memberIds })
    expect(invariants).toMatchObject({ checked: 200, violations: [], done: true })
  })

  test('bad input is INVALID_ARGUMENT naming the field', async () => {
    expect(await consoleCaller().call('admin', 'bulkGrant', { batchId: 'b1', memberIds: [], reason: 'x' } as never)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    })
    const nothing = await consoleCaller().call('admin', 'bulkGrant', { batchId: 'batch-0', memberIds: ['m_1'], reason: '无内容' })
    expect(nothing).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: [{ path: 'points' }] } })
  })
})

describe('admin.runTierReview (保级)', () => {
  test('a member whose growth last year is below their tier moves down to the tier it reaches, recorded once when run twice', async () => {
    const reviewed = year() - 1
    const [gold, diamond, keeps] = await Promise.all([newMember(), newMember(), newMember()])
    const at = (y: number, month: number) => new Date(Date.UTC(y, month - 1, 15, 4))
    for (const member of [gold, diamond, keeps]) {
      await db()
        .collection('members')
        .doc(member.memberId)
        .update({ tierHistory: [{ from: null, to: 'silver', reason: 'join', at: at(reviewed - 1, 1) }] })
    }
    await db().collection('members').doc(gold.memberId).update({ tierId: 'gold' })
    await db().collection('members').doc(diamond.memberId).update({ tierId: 'diamond' })
    await db().collection('members').doc(keeps.memberId).update({ tierId: 'gold' })
    await seedEntries(emulator.adminUrl, gold.memberId, [
      { growth: 3000, at: at(reviewed - 1, 6) },
      { growth: 200, at: at(reviewed, 6) },
    ])
    await seedEntries(emulator.adminUrl, diamond.memberId, [
      { growth: 1500, at: at(reviewed, 3) },
      { growth: 900, at: at(reviewed + 1, 1) },
    ])
    await seedEntries(emulator.adminUrl, keeps.memberId, [{ growth: 1200, at: at(reviewed, 12) }])

    const first = await consoleCaller().ok('admin', 'runTierReview', { year: reviewed })
    expect(first.downgraded).toBeGreaterThanOrEqual(2)
    const second = await consoleCaller().ok('admin', 'runTierReview', { year: reviewed })
    expect(second).toEqual({ year: reviewed, reviewed: 0, downgraded: 0, runKey: expect.stringMatching(new RegExp(`^tier-review:${reviewed}:`)) })

    const goldAfter = await memberDoc(gold.memberId)
    expect(goldAfter.tierId).toBe('silver')
    expect(goldAfter.tierHistory.filter((change) => change.reason === 'yearly-review')).toEqual([expect.objectContaining({ from: 'gold', to: 'silver', reason: 'yearly-review' })])
    expect(goldAfter.tierReviewedYear).toBe(reviewed)
    const diamondAfter = await memberDoc(diamond.memberId)
    expect(diamondAfter.tierId).toBe('gold')
    expect(diamondAfter.tierHistory.filter((change) => change.reason === 'yearly-review')).toHaveLength(1)
    const keepsAfter = await memberDoc(keeps.memberId)
    expect(keepsAfter.tierId).toBe('gold')
    expect(keepsAfter.tierHistory.filter((change) => change.reason === 'yearly-review')).toHaveLength(0)

    const history = await gold.caller.ok('loyalty', 'tierHistory', {})
    expect(history.changes[0]).toMatchObject({ from: '金卡会员', to: '银卡会员', reason: 'yearly-review' })
  })

  test('five concurrent reviews record each downgrade once; never an upgrade; a tier earned after the year is kept', async () => {
    const reviewed = year() - 1
    const [low, upgradedSince] = await Promise.all([newMember(), newMember()])
    const longAgo = new Date(Date.UTC(reviewed - 1, 0, 15))
    await db()
      .collection('members')
      .doc(low.memberId)
      .update({ tierId: 'diamond', growth: 10, tierHistory: [{ from: null, to: 'diamond', reason: 'join', at: longAgo }] })
    await db()
      .collection('members')
      .doc(upgradedSince.memberId)
      .update({ tierId: 'gold', tierHistory: [{ from: 'silver', to: 'gold', reason: 'upgrade', at: new Date() }] })
    await Promise.all(Array.from({ length: 5 }, () => consoleCaller().ok('admin', 'runTierReview', { year: reviewed })))
    const lowAfter = await memberDoc(low.memberId)
    expect(lowAfter.tierId).toBe('silver')
    expect(lowAfter.tierHistory.filter((change) => change.reason === 'yearly-review')).toHaveLength(1)
    expect((await memberDoc(upgradedSince.memberId)).tierId).toBe('gold')
  })

  test('only a year that has ended can be reviewed', async () => {
    expect(await consoleCaller().call('admin', 'runTierReview', { year: year() })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
  })
})

describe('admin.checkInvariants', () => {
  test('finds no violation on clean data, across every member', async () => {
    const member = await newMember()
    await member.caller.ok('loyalty', 'checkin', { requestId: requestId() })
    const all = await consoleCaller().ok('admin', 'checkInvariants', {})
    expect(all.checked).toBeGreaterThan(2)
    expect(all.violations).toEqual([])
  })

  test('finds a member document tampered with, and names it', async () => {
    const member = await newMember()
    const clean = await newMember()
    await member.caller.ok('loyalty', 'checkin', { requestId: requestId() })
    await db().collection('members').doc(member.memberId).update({ points: 9999 })
    await db().collection('members').doc(clean.memberId).update({})
    const result = await consoleCaller().ok('admin', 'checkInvariants', { memberIds: [member.memberId, clean.memberId] })
    expect(result.checked).toBe(2)
    expect(result.violations).toEqual([{ memberId: member.memberId, message: expect.stringContaining('积分与账本不符') }])

    await db().collection('members').doc(clean.memberId).update({ balance: -5 })
    const negative = await consoleCaller().ok('admin', 'checkInvariants', { memberIds: [clean.memberId] })
    expect(negative.violations.map((violation) => violation.message)).toEqual([expect.stringContaining('储值为负'), expect.stringContaining('储值与账本不符')])
  })
})

describe('admin.trimOutboxes', () => {
  test('drops outbox entries older than 30 minutes once they are in the ledger; newer ones stay', async () => {
    const member = await newMember()
    await member.caller.ok('loyalty', 'checkin', { requestId: requestId() })
    const joinId = `join:${member.memberId}`
    await db()
      .collection('members')
      .doc(member.memberId)
      // aged as if applied 31 minutes ago: the entry, and the index the trim selects members by
      .update({ [`outbox.${joinId}.createdAt`]: new Date(Date.now() - 31 * 60_000), outboxOldestAt: new Date(Date.now() - 31 * 60_000) })
    await db().collection('ledger').doc(joinId).remove()
    const result = await consoleCaller().ok('admin', 'trimOutboxes', {})
    expect(result.trimmed).toBeGreaterThanOrEqual(1)
    const after = await memberDoc(member.memberId)
    expect(Object.keys(after.outbox)).toEqual([expect.stringMatching(/^checkin:/)])
    // what stays is newer: the index now names the check-in's time
    expect(new Date((after as unknown as { outboxOldestAt: Date }).outboxOldestAt).getTime()).toBeGreaterThan(Date.now() - 30 * 60_000)
    const { data } = await db().collection('ledger').doc(joinId).get()
    expect(data).toHaveLength(1)
    expect((await consoleCaller().ok('admin', 'checkInvariants', { memberIds: [member.memberId] })).violations).toEqual([])
  })
})

describe('admin.markShipped', () => {
  test('ships a paid delivery order once; a pickup order cannot be shipped', async () => {
    const now = new Date()
    const order = {
      _id: `o-ship-${Date.now()}`,
      kind: 'mall',
      memberId: memberIdFor(DEMO_MEMBER_OPENID),
      status: 'paid',
      title: '保温杯',
      quantity: 1,
      points: 800,
      amount: 0,
      payMethod: 'points',
      payBy: null,
      stock: null,
      stockReleasedAt: null,
      fulfilment: { type: 'delivery', address: '上海市静安区南京西路1515号', carrier: null, trackingNo: null, shippedAt: null },
      issuesCouponTemplateId: null,
      groupId: null,
      requestId: 'req-ship-1',
      createdAt: now,
      transitions: [{ from: null, to: 'created', at: now, reason: '下单', by: 'm' }],
      outTradeNo: null,
    }
    await db().collection('orders').add(order)
    const input = { orderId: order._id, carrier: '顺丰', trackingNo: 'SF1234567890' }
    const shipped = await consoleCaller().ok('admin', 'markShipped', input)
    expect(shipped.order).toMatchObject({ status: 'fulfilled', fulfilment: { type: 'delivery', carrier: '顺丰', trackingNo: 'SF1234567890' } })
    expect(await consoleCaller().ok('admin', 'markShipped', input)).toEqual(shipped)
    const pickup = { ...order, _id: `${order._id}-pickup`, fulfilment: { type: 'pickup', storeId: 's-jingan', collectedAt: null, staffId: null } }
    await db().collection('orders').add(pickup)
    expect(await consoleCaller().call('admin', 'markShipped', { ...input, orderId: pickup._id })).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } })
  })
})

describe('admin.validateConfig', () => {
  test('the seed configuration is valid', async () => {
    expect(await consoleCaller().ok('admin', 'validateConfig', {})).toEqual({ ok: true, problems: [] })
  })

  test('the retired behaviour points: the rules still load, validateConfig names the key and its fix, saveConfig refuses it', async () => {
    const config = db().collection('config')
    const { _id, ...current } = (await config.doc('pointRules').get()).data[0] as Record<string, unknown>
    try {
      await config.doc('pointRules').update({ behaviours: { share: { points: 5, growth: 1, dailyCap: 3 } } })
      const result = await consoleCaller().ok('admin', 'validateConfig', {})
      expect(result.problems).toEqual([{ collection: 'config', documentId: 'pointRules', field: 'behaviours', message: expect.stringMatching(/^retired: .*remove `behaviours`/) }])
      const saved = await consoleCaller().call('admin', 'saveConfig', { collection: 'config', document: { _id, ...current, behaviours: {} } })
      expect(saved).toMatchObject({ ok: false, error: { reason: 'CONFIG_INVALID', fields: [{ path: 'behaviours' }] } })
      const member = await newMember()
      expect((await member.caller.ok('loyalty', 'checkin', { requestId: requestId() })).entry.change).toBeGreaterThan(0)
    } finally {
      await config.doc('pointRules').set(current)
    }
  })

  test('several bad documents are all reported, each with collection, id and field', async () => {
    const config = db().collection('config')
    const withoutId = ({ _id, ...rest }: Record<string, unknown>) => rest
    const pointRules = withoutId((await config.doc('pointRules').get()).data[0])
    const gold = withoutId((await db().collection('tiers').doc('gold').get()).data[0])
    try {
      await config.doc('pointRules').update({ 'checkin.points': -5, 'join.growth': 'three' })
      await config.doc('storedValue').update({ minAmount: 0 })
      await db().collection('tiers').doc('gold').update({ discountPercent: 20, growthThreshold: 6000 })
      await db().collection('card_types').add({ _id: 'Bad Id', name: '', isDefault: true })
      const result = await consoleCaller().ok('admin', 'validateConfig', {})
      expect(result.ok).toBe(false)
      const found = result.problems.map((problem) => `${problem.collection}/${problem.documentId}:${problem.field}`)
      expect(found).toEqual(
        expect.arrayContaining([
          'config/pointRules:checkin.points',
          'config/pointRules:join.growth',
          'config/storedValue:minAmount',
          'tiers/gold:discountPercent',
          'card_types/Bad Id:_id',
          'card_types/Bad Id:name',
          'card_types/(collection):isDefault',
        ]),
      )
      expect(result.problems.every((problem) => problem.message.length > 0)).toBe(true)
    } finally {
      await config.doc('pointRules').set(pointRules)
      await config.doc('storedValue').update({ minAmount: 1000 })
      await db().collection('tiers').doc('gold').set(gold)
      await db().collection('card_types').doc('Bad Id').remove()
    }
    expect(await consoleCaller().ok('admin', 'validateConfig', {})).toEqual({ ok: true, problems: [] })
  })
})
