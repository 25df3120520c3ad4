import { businessDay } from '../../domain/shared/time'
import { birthdaysOn } from '../../domain/membership/birthday'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { expectInvariants, joinMember, memberDoc } from '../support/counter'
import { adminApp, callerFor } from '../support/functions'

let emulator: TestEmulator
let url: string
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
  url = emulator.adminUrl
})
afterAll(() => emulator?.stop())

const nightly = (time: Date) => callerFor(url, null).raw('jobs', { Type: 'Timer', TriggerName: 'nightly', Time: time.toISOString() })

async function couponsOf(memberId: string) {
  return (await adminApp(url).database().collection('coupons').where({ memberId }).get()).data as { templateId: string; source: string }[]
}

describe('gifts the system gives', () => {
  test('a new member gets the configured welcome coupon once', async () => {
    const member = await joinMember(url)
    await member.caller.ok('member', 'join', {})
    expect((await couponsOf(member.memberId)).map((coupon) => [coupon.templateId, coupon.source])).toEqual([['welcome-10', 'welcome']])
  })

  test("on the member's birthday the nightly job gives the tier's birthday points and the birthday coupon, once a year", async () => {
    const today = businessDay(new Date())
    const member = await joinMember(url)
    const birthday = `1992-${today.slice(5)}` // 1992 is a leap year: any month-day exists
    await member.caller.ok('member', 'updateProfile', { birthday })
    const other = await joinMember(url)
    await Promise.all([nightly(new Date()), nightly(new Date())])
    await nightly(new Date())
    expect((await memberDoc(url, member.memberId)).points).toBe(100 + 50)
    expect((await couponsOf(member.memberId)).filter((coupon) => coupon.source === 'birthday').map((coupon) => coupon.templateId)).toEqual(['gift-mask'])
    expect((await memberDoc(url, other.memberId)).points).toBe(100)
    await expectInvariants(url, member.memberId)
  })

  test('members born on 29 February celebrate on the 28th in other years', () => {
    expect(birthdaysOn('2027-02-28')).toEqual(['02-28', '02-29'])
    expect(birthdaysOn('2028-02-28')).toEqual(['02-28'])
    expect(birthdaysOn('2028-02-29')).toEqual(['02-29'])
  })
})
