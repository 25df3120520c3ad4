import { bindDecision, bindingRulesSchema, invitationAtJoin, joiningScene, ownerAtJoin, parseScene, sceneOf, usualStore, type Binding, type PersonRecord } from '../../../domain/social'
import { sceneSchema } from '../../../domain/contract'

const NOW = new Date('2026-12-02T04:00:00Z')
const DAY = 86_400_000

function person(id: string, changes: Partial<PersonRecord> = {}): PersonRecord {
  return { _id: id, boundTo: null, firstScene: null, memberAt: null, invitedBy: null, ownerStaffId: null, seq: 1, updatedAt: NOW, ...changes }
}
function bound(sharerId: string, daysAgo: number, extra: Partial<Binding> = {}): Binding {
  return { sharerId, shareCode: `code-${sharerId}`, at: new Date(NOW.getTime() - daysAgo * DAY), sharerInviterId: null, sharerOwnerStaffId: null, ...extra }
}
const rules = (mode: 'firstTouch' | 'firstTouchForDays' | 'lastTouch', extra: Record<string, unknown> = {}) => bindingRulesSchema.parse({ mode, ...extra })
const ask = (opener: PersonRecord | null, rulesNow = rules('firstTouchForDays'), openerIsMember = false, sharer: PersonRecord | null = null, sharerId = 'amy') =>
  bindDecision({ openerId: 'friend', opener, openerIsMember, sharerId, sharer, now: NOW, rules: rulesNow })

describe('bind modes', () => {
  test('a person bound to nobody is bound, in every mode', () => {
    for (const mode of ['firstTouch', 'firstTouchForDays', 'lastTouch'] as const) expect(ask(null, rules(mode))).toEqual({ bind: true })
  })

  test('first touch keeps the first sharer for ever', () => {
    expect(ask(person('friend', { boundTo: bound('bob', 3000) }), rules('firstTouch'))).toEqual({ bind: false, reason: 'already-bound' })
  })

  test('first touch for N days: kept until N days have passed, to the millisecond, then the next sharer takes over', () => {
    const thirtyDays = rules('firstTouchForDays', { days: 30 })
    expect(ask(person('friend', { boundTo: bound('bob', 30 - 1 / 86_400_000) }), thirtyDays)).toEqual({ bind: false, reason: 'already-bound' })
    expect(ask(person('friend', { boundTo: bound('bob', 30) }), thirtyDays)).toEqual({ bind: true })
  })

  test('last touch: every other sharer takes over; the same sharer again changes nothing', () => {
    expect(ask(person('friend', { boundTo: bound('bob', 0) }), rules('lastTouch'))).toEqual({ bind: true })
    expect(ask(person('friend', { boundTo: bound('amy', 0) }), rules('lastTouch'))).toEqual({ bind: false, reason: 'same-sharer' })
  })

  test('newcomers only: a member is never bound', () => {
    expect(ask(null, rules('lastTouch', { newcomersOnly: true }), true)).toEqual({ bind: false, reason: 'member' })
    expect(ask(null, rules('lastTouch', { newcomersOnly: true }), false)).toEqual({ bind: true })
  })

  test('no self-binding, no A↔B loop (by binding or by invitation), whatever the mode', () => {
    for (const mode of ['firstTouch', 'firstTouchForDays', 'lastTouch'] as const) {
      expect(bindDecision({ openerId: 'amy', opener: null, openerIsMember: true, sharerId: 'amy', sharer: null, now: NOW, rules: rules(mode) })).toEqual({ bind: false, reason: 'self' })
      expect(ask(null, rules(mode), true, person('amy', { boundTo: bound('friend', 1) }))).toEqual({ bind: false, reason: 'loop' })
      expect(ask(null, rules(mode), true, person('amy', { invitedBy: 'friend' }))).toEqual({ bind: false, reason: 'loop' })
    }
  })

  test('the defaults: first touch for 30 days, everyone may be bound', () => {
    expect(bindingRulesSchema.parse({})).toEqual({ mode: 'firstTouchForDays', days: 30, newcomersOnly: false })
    expect(bindingRulesSchema.safeParse({ mode: 'firstTouchForDays', days: 0 }).success).toBe(false)
  })
})

describe('the invitation a join fixes', () => {
  test('the sharer bound at joining is the inviter; their own inviter is level 2; nobody invites themself', () => {
    const friend = person('friend', { boundTo: bound('amy', 2, { sharerInviterId: 'zoe', sharerOwnerStaffId: 'st-li' }) })
    expect(invitationAtJoin(friend, 'friend')).toEqual({ inviterId: 'amy', inviter2Id: 'zoe', shareCode: 'code-amy', inviterOwnerStaffId: 'st-li' })
    expect(invitationAtJoin(null, 'friend')).toBeNull()
    expect(invitationAtJoin(person('friend'), 'friend')).toBeNull()
    expect(invitationAtJoin(person('friend', { boundTo: bound('friend', 1) }), 'friend')).toBeNull()
    expect(invitationAtJoin(person('friend', { boundTo: bound('amy', 1, { sharerInviterId: 'friend' }) }), 'friend')?.inviter2Id).toBeNull()
  })

  test('the joining scene is the first that led here, else the join page’s', () => {
    expect(joiningScene(person('friend', { firstScene: { scene: 'c.li', at: NOW } }), 's.abc')).toBe('c.li')
    expect(joiningScene(person('friend'), 's.abc')).toBe('s.abc')
    expect(joiningScene(null, null)).toBeNull()
  })
})

describe('who owns a member', () => {
  test("the channel's clerk first, then (when the brand says so) the inviter's owner, else nobody fixed", () => {
    expect(ownerAtJoin('st-li', 'st-zhao', true)).toBe('st-li')
    expect(ownerAtJoin(null, 'st-zhao', true)).toBe('st-zhao')
    expect(ownerAtJoin(null, 'st-zhao', false)).toBeNull()
    expect(ownerAtJoin(null, null, true)).toBeNull()
  })

  test('the usual store is where most visits were, the latest one on a tie', () => {
    expect(usualStore([])).toBeNull()
    expect(
      usualStore([
        { storeId: 'a', at: '2026-01-01' },
        { storeId: 'b', at: '2026-02-01' },
        { storeId: 'a', at: '2026-01-05' },
      ]),
    ).toBe('a')
    expect(
      usualStore([
        { storeId: 'a', at: '2026-01-01' },
        { storeId: 'b', at: '2026-02-01' },
      ]),
    ).toBe('b')
  })
})

describe('scenes', () => {
  test('<kind>.<code> within 32 characters, and the bare channel ids printed before kinds', () => {
    expect(parseScene('s.AbC-12_x')).toEqual({ kind: 'share', code: 'AbC-12_x' })
    expect(parseScene('c.li')).toEqual({ kind: 'channel', code: 'li' })
    expect(parseScene('c-li')).toEqual({ kind: 'channel', code: 'c-li' })
    expect(parseScene(' s.abc\n')).toEqual({ kind: 'share', code: 'abc' })
    for (const bad of ['m.abc', 's.', '.abc', 's.a.b', 's.' + 'a'.repeat(31), 'a'.repeat(33), '你好', 's.a%20b', '']) expect(parseScene(bad)).toBeNull()
    expect(sceneOf('share', 'abc')).toBe('s.abc')
    expect(() => sceneOf('share', 'a b')).toThrow()
  })

  test('the contract takes exactly the scenes the parser reads', () => {
    for (const scene of ['s.abc', 'c.li', 'c-li', 's.' + 'a'.repeat(30)]) expect(sceneSchema.safeParse(scene).success).toBe(parseScene(scene) !== null)
    for (const scene of ['m.abc', 's.' + 'a'.repeat(31), 'a b']) expect(sceneSchema.safeParse(scene).success).toBe(false)
  })
})
