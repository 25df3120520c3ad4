/**
 * Business days and years in Asia/Shanghai on the business clock, through the real SDK and the
 * emulator: check-ins and behaviour earnings either side of Shanghai midnight (16:00 UTC), points
 * lots expiring at the first instant of the year after next, and birthdays on 29 February.
 *
 * The file's timeline only moves forward (each test sets the clock to its own later instants),
 * so jobs that one test fires find the other tests' members in a consistent past.
 */
import { checkinEntryId } from '../../domain/loyalty/loyalty'
import { expireEntryId } from '../../domain/loyalty/expiry'
import { expectRefused, fireTimer, setClock, shanghai } from '../support/clock'
import { expectInvariants, joinMember, memberDoc, requestId, type TestMember } from '../support/counter'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { adminApp, callerFor } from '../support/functions'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
})
afterAll(() => emulator?.stop())

const db = () => adminApp(url).database()
const clock = (instant: number) => setClock(emulator.url, instant)
const JOIN_POINTS = 100
const CHECKIN_POINTS = 10

async function entriesOf(memberId: string, kind?: string) {
  const { data } = await db()
    .collection('ledger')
    .where(kind ? { memberId, kind } : { memberId })
    .limit(1000)
    .get()
  return data as { _id: string; kind: string; points: number; businessDay: string }[]
}

async function joinAt(local: string): Promise<TestMember> {
  await clock(shanghai(local))
  return joinMember(url)
}

describe('a business day is a day in Asia/Shanghai', () => {
  test('check-ins at 23:59:59 and at 00:00:00 the next day are two days: both granted', async () => {
    const member = await joinAt('2032-03-14T23:50:00')
    await clock(shanghai('2032-03-14T23:59:59'))
    const late = await member.caller.ok('loyalty', 'checkin', { requestId: requestId() })
    await clock(shanghai('2032-03-15T00:00:00'))
    const early = await member.caller.ok('loyalty', 'checkin', { requestId: requestId() })

    expect([late.entry.businessDay, early.entry.businessDay]).toEqual(['2032-03-14', '2032-03-15'])
    expect((await entriesOf(member.memberId, 'checkin')).map((entry) => entry._id).sort()).toEqual(
      [checkinEntryId(member.memberId, '2032-03-14'), checkinEntryId(member.memberId, '2032-03-15')].sort(),
    )
    expect(early.points).toBe(JOIN_POINTS + 2 * CHECKIN_POINTS)
    expect((await member.caller.ok('loyalty', 'status', {})).businessDay).toBe('2032-03-15')
    await expectInvariants(url, member.memberId)
  })

  test('check-ins at 00:00:00 and at 23:59:59 of the same day are one: the second is refused', async () => {
    const member = await joinAt('2032-03-19T23:00:00')
    await clock(shanghai('2032-03-20T00:00:00'))
    const first = await member.caller.ok('loyalty', 'checkin', { requestId: requestId() })
    expect(first.entry.businessDay).toBe('2032-03-20')
    await clock(shanghai('2032-03-20T23:59:59'))
    expectRefused(await member.caller.call('loyalty', 'checkin', { requestId: requestId() }), 'ALREADY_EXISTS', 'ALREADY_CHECKED_IN')

    expect(await entriesOf(member.memberId, 'checkin')).toHaveLength(1)
    expect((await memberDoc(url, member.memberId)).points).toBe(JOIN_POINTS + CHECKIN_POINTS)
    await expectInvariants(url, member.memberId)
  })
})

describe('points earned in a year expire at the end of the next year, Asia/Shanghai', () => {
  test('earned at 23:59:59 on 31 Dec 2033 and at 00:00:00 on 1 Jan 2034: the nightly at 23:59:59 on 31 Dec 2034 expires nothing, at 00:00:00 it expires the 2033 lot only', async () => {
    const member = await joinAt('2033-12-31T23:59:00') // the join points: the 2033 lot
    await clock(shanghai('2033-12-31T23:59:59'))
    await member.caller.ok('loyalty', 'checkin', { requestId: requestId() }) // 2033
    await clock(shanghai('2034-01-01T00:00:00'))
    await member.caller.ok('loyalty', 'checkin', { requestId: requestId() }) // 2034
    const lot2033 = JOIN_POINTS + CHECKIN_POINTS
    expect((await memberDoc(url, member.memberId)).points).toBe(lot2033 + CHECKIN_POINTS)
    expect((await member.caller.ok('loyalty', 'status', {})).expiring).toEqual({ points: lot2033, at: new Date(shanghai('2035-01-01T00:00:00')).toISOString() })

    await clock(shanghai('2034-12-31T23:59:59'))
    expect(await fireTimer(url, 'nightly')).toMatchObject({ ok: true })
    expect((await memberDoc(url, member.memberId)).points).toBe(lot2033 + CHECKIN_POINTS)
    expect(await entriesOf(member.memberId, 'expire')).toEqual([])

    await clock(shanghai('2035-01-01T00:00:00'))
    const night = await fireTimer(url, 'nightly')
    expect(night).toMatchObject({ ok: true, data: { expiry: { cutoffYear: 2034 } } })
    expect((await memberDoc(url, member.memberId)).points).toBe(CHECKIN_POINTS)
    expect(await entriesOf(member.memberId, 'expire')).toEqual([expect.objectContaining({ _id: expireEntryId(member.memberId, 2034), points: -lot2033, businessDay: '2035-01-01' })])
    // the night's later runs, and the run by hand, expire nothing more
    await clock(shanghai('2035-01-01T02:30:00'))
    await Promise.all([fireTimer(url, 'nightly'), fireTimer(url, 'nightly')])
    await callerFor(url, null).ok('admin', 'runPointsExpiry', {})
    expect((await memberDoc(url, member.memberId)).points).toBe(CHECKIN_POINTS)
    await expectInvariants(url, member.memberId)

    // and the 2034 lot, at the end of 2035
    await clock(shanghai('2035-12-31T23:59:59'))
    await callerFor(url, null).ok('admin', 'runPointsExpiry', {})
    expect((await memberDoc(url, member.memberId)).points).toBe(CHECKIN_POINTS)
    await clock(shanghai('2036-01-01T00:00:00'))
    expect((await callerFor(url, null).ok('admin', 'runPointsExpiry', {})).expiredPoints).toBeGreaterThanOrEqual(CHECKIN_POINTS)
    expect((await memberDoc(url, member.memberId)).points).toBe(0)
    expect((await entriesOf(member.memberId, 'expire')).map((entry) => entry._id).sort()).toEqual([expireEntryId(member.memberId, 2034), expireEntryId(member.memberId, 2035)].sort())
    await expectInvariants(url, member.memberId)
  })

  test('a nightly trigger whose Time is 23:59:59 on 31 Dec, delivered a little late, runs as of its Time: nothing expires yet', async () => {
    const member = await joinAt('2036-06-01T12:00:00') // the 2036 lot
    const time = shanghai('2037-12-31T23:59:59')
    await clock(time + 3_000)
    const run = await callerFor(url, null).raw('jobs', { Type: 'Timer', TriggerName: 'nightly', Time: new Date(time).toISOString() })
    expect(run).toMatchObject({ ok: true, data: { expiry: { cutoffYear: 2036 } } })
    expect((await memberDoc(url, member.memberId)).points).toBe(JOIN_POINTS)
    await clock(shanghai('2038-01-01T00:00:01'))
    await callerFor(url, null).raw('jobs', { Type: 'Timer', TriggerName: 'nightly', Time: new Date(shanghai('2038-01-01T00:00:00')).toISOString() })
    expect((await memberDoc(url, member.memberId)).points).toBe(0)
    await expectInvariants(url, member.memberId)
  })
})

describe('birthdays on 29 February', () => {
  const BIRTHDAY_POINTS = 50 // silver

  async function birthdayGifts(memberId: string) {
    const grants = (await entriesOf(memberId, 'grant')).filter((entry) => entry._id.startsWith('birthday:'))
    const { data } = await db().collection('coupons').where({ memberId, source: 'birthday' }).get()
    return { points: grants.map((entry) => entry._id).sort(), coupons: (data as { requestId: string }[]).map((coupon) => coupon.requestId).sort() }
  }

  test('in a non-leap year the gift comes on 28 February, in a leap year on 29 February, once a year', async () => {
    await clock(shanghai('2038-02-01T10:00:00'))
    const leapling = await joinMember(url)
    const feb28 = await joinMember(url)
    const march1 = await joinMember(url)
    await leapling.caller.ok('member', 'updateProfile', { birthday: '1992-02-29' })
    await feb28.caller.ok('member', 'updateProfile', { birthday: '1990-02-28' })
    await march1.caller.ok('member', 'updateProfile', { birthday: '1991-03-01' })
    const night = async (local: string) => {
      await clock(shanghai(local))
      expect(await fireTimer(url, 'nightly')).toMatchObject({ ok: true })
    }
    const gifts = async () => ({ leapling: await birthdayGifts(leapling.memberId), feb28: await birthdayGifts(feb28.memberId), march1: await birthdayGifts(march1.memberId) })
    const id = (member: TestMember, year: number) => `birthday:${member.memberId}:${year}`

    // 2038 is not a leap year: the 28th is the leapling's birthday too
    await night('2038-02-27T02:30:00')
    expect(await gifts()).toEqual({ leapling: { points: [], coupons: [] }, feb28: { points: [], coupons: [] }, march1: { points: [], coupons: [] } })
    await night('2038-02-28T02:30:00')
    await night('2038-02-28T23:59:59')
    await night('2038-03-01T02:30:00')
    expect(await gifts()).toEqual({
      leapling: { points: [id(leapling, 2038)], coupons: ['birthday-2038'] },
      feb28: { points: [id(feb28, 2038)], coupons: ['birthday-2038'] },
      march1: { points: [id(march1, 2038)], coupons: ['birthday-2038'] },
    })

    // 2040 is a leap year: the leapling's birthday is the 29th, and only then
    await night('2040-02-28T02:30:00')
    expect((await gifts()).leapling).toEqual({ points: [id(leapling, 2038)], coupons: ['birthday-2038'] })
    expect((await gifts()).feb28).toEqual({ points: [id(feb28, 2038), id(feb28, 2040)], coupons: ['birthday-2038', 'birthday-2040'] })
    await clock(shanghai('2040-02-29T02:30:00'))
    await Promise.all([fireTimer(url, 'nightly'), fireTimer(url, 'nightly')])
    await night('2040-03-01T02:30:00')
    expect(await gifts()).toEqual({
      leapling: { points: [id(leapling, 2038), id(leapling, 2040)], coupons: ['birthday-2038', 'birthday-2040'] },
      feb28: { points: [id(feb28, 2038), id(feb28, 2040)], coupons: ['birthday-2038', 'birthday-2040'] },
      march1: { points: [id(march1, 2038), id(march1, 2040)], coupons: ['birthday-2038', 'birthday-2040'] },
    })
    // the 2038 lot (join and birthday points) expired at the start of 2040: what is left is 2040's gift
    for (const member of [leapling, feb28, march1]) {
      expect((await memberDoc(url, member.memberId)).points).toBe(BIRTHDAY_POINTS)
      await expectInvariants(url, member.memberId)
    }
  })

  test('a member who claimed the birthday coupon in the centre still gets it as the birthday gift', async () => {
    await clock(shanghai('2041-04-01T10:00:00'))
    const member = await joinMember(url)
    await member.caller.ok('member', 'updateProfile', { birthday: '1995-04-02' })
    await member.caller.ok('coupon', 'claim', { templateId: 'gift-mask', requestId: requestId() })
    await clock(shanghai('2041-04-02T02:30:00'))
    await fireTimer(url, 'nightly')
    expect(await birthdayGifts(member.memberId)).toEqual({ points: [`birthday:${member.memberId}:2041`], coupons: ['birthday-2041'] })
    await expectInvariants(url, member.memberId)
  })
})
