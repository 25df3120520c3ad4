import fc from 'fast-check'
import { AppError } from '../../../domain/shared/errors'
import type { LedgerEntry } from '../../../domain/shared/ledger-entry'
import { EMPTY_PROFILE, type AddressRecord, type MemberRecord } from '../../../domain/membership/member'
import { birthdayToWrite, checkBirthday, exportShape, MAX_ADDRESSES, removeAddress, saveAddress, toProfileView } from '../../../domain/membership/profile'

function refusal(run: () => unknown): AppError {
  try {
    run()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

const address = (n: number) => ({ name: `收件人${n}`, phone: '13800000000', region: '上海市 静安区', detail: `南京西路 ${n} 号`, isDefault: false })

function book(size: number): AddressRecord[] {
  let addresses: AddressRecord[] = []
  for (let i = 0; i < size; i++) addresses = saveAddress(addresses, address(i), `a${i}`)
  return addresses
}

describe('birthday: set once, then only at a store', () => {
  test('an unlocked birthday may be set; a locked one refuses a different date (BIRTHDAY_LOCKED)', () => {
    expect(birthdayToWrite({ birthday: null, birthdayLocked: false }, '1990-05-01')).toBe(true)
    const error = refusal(() => birthdayToWrite({ birthday: '1990-05-01', birthdayLocked: true }, '1990-05-02'))
    expect(error.code).toBe('FAILED_PRECONDITION')
    expect(error.reason).toBe('BIRTHDAY_LOCKED')
  })

  test('the same date again (a retry) changes nothing and is not an error', () => {
    expect(birthdayToWrite({ birthday: '1990-05-01', birthdayLocked: true }, '1990-05-01')).toBe(false)
    expect(birthdayToWrite({ birthday: '1990-05-01', birthdayLocked: true }, undefined)).toBe(false)
  })

  test('a birthday must be a real day, not in the future, not before 1900', () => {
    expect(() => checkBirthday('2000-02-29', '2026-01-01')).not.toThrow()
    for (const bad of ['2001-02-29', '2026-13-01', '2026-01-02', '1899-12-31']) {
      const error = refusal(() => checkBirthday(bad, '2026-01-01'))
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'BIRTHDAY_INVALID' })
      expect(error.fields?.[0].path).toBe('birthday')
    }
  })
})

describe('address book: at most 10, exactly one default whenever there is one', () => {
  test('the first address becomes the default', () => {
    expect(book(1)[0].isDefault).toBe(true)
  })

  test('a new default replaces the old one', () => {
    const addresses = saveAddress(book(3), { ...address(9), isDefault: true }, 'new')
    expect(addresses.filter((entry) => entry.isDefault).map((entry) => entry.id)).toEqual(['new'])
  })

  test('an eleventh address is refused; editing one of ten is fine', () => {
    const ten = book(MAX_ADDRESSES)
    expect(refusal(() => saveAddress(ten, address(11), 'x'))).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'ADDRESS_BOOK_FULL' })
    const edited = saveAddress(ten, { ...address(5), id: 'a5', detail: '新地址 5 号' }, 'x')
    expect(edited).toHaveLength(MAX_ADDRESSES)
    expect(edited.find((entry) => entry.id === 'a5')?.detail).toBe('新地址 5 号')
  })

  test('editing an id that is not in the book is NOT_FOUND', () => {
    expect(refusal(() => saveAddress(book(2), { ...address(1), id: 'nope' }, 'x'))).toMatchObject({ code: 'NOT_FOUND', reason: 'ADDRESS_NOT_FOUND' })
    expect(refusal(() => removeAddress(book(2), 'nope'))).toMatchObject({ code: 'NOT_FOUND', reason: 'ADDRESS_NOT_FOUND' })
  })

  test('removing the default makes the first remaining address the default; removing the last leaves none', () => {
    const three = saveAddress(book(3), { ...address(2), id: 'a2', isDefault: true }, 'x')
    const two = removeAddress(three, 'a2')
    expect(two.map((entry) => [entry.id, entry.isDefault])).toEqual([
      ['a0', true],
      ['a1', false],
    ])
    expect(removeAddress(book(1), 'a0')).toEqual([])
  })

  test('property: after any sequence of saves and removals, ≤ 10 addresses and exactly one default when any', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), isDefault: fc.boolean() }),
      fc.record({ kind: fc.constant('edit' as const), index: fc.nat(20), isDefault: fc.boolean() }),
      fc.record({ kind: fc.constant('remove' as const), index: fc.nat(20) }),
    )
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
        let addresses: AddressRecord[] = []
        operations.forEach((op, n) => {
          try {
            if (op.kind === 'add') addresses = saveAddress(addresses, { ...address(n), isDefault: op.isDefault }, `id${n}`)
            else if (addresses.length > 0 && op.kind === 'edit') {
              addresses = saveAddress(addresses, { ...address(n), id: addresses[op.index % addresses.length].id, isDefault: op.isDefault }, `id${n}`)
            } else if (addresses.length > 0 && op.kind === 'remove') addresses = removeAddress(addresses, addresses[op.index % addresses.length].id)
          } catch (error) {
            if (!(error instanceof AppError)) throw error
          }
          expect(addresses.length).toBeLessThanOrEqual(MAX_ADDRESSES)
          expect(addresses.filter((entry) => entry.isDefault).length).toBe(addresses.length > 0 ? 1 : 0)
          expect(new Set(addresses.map((entry) => entry.id)).size).toBe(addresses.length)
        })
      }),
    )
  })
})

describe('profile view and data export', () => {
  const joinedAt = new Date('2026-01-01T00:00:00Z')
  const member = {
    _id: 'm_self',
    openid: 'o_secret_openid',
    unionid: 'u_secret',
    memberNo: '10000009',
    nickname: '小雨',
    cardTypeId: 'individual',
    tierId: 'gold',
    points: 120,
    pointsOwed: 0,
    growth: 1200,
    balance: 55_000,
    status: 'active',
    channelId: 'c-li',
    referrerStaffId: 'st-li',
    phone: '13812345678',
    profile: { ...EMPTY_PROFILE, name: '林小雨', birthday: '1995-06-18', birthdayLocked: true },
    addresses: book(2),
    consent: { version: '2026-01', at: joinedAt },
    deletionRequestedAt: null,
    tags: ['护肤达人'],
    lastVisitAt: null,
    tierHistory: [{ from: null, to: 'silver', reason: 'join', at: joinedAt }],
    joinedAt,
    entryCount: 1,
    outbox: { 'join:m_self': { _id: 'join:m_self' } as LedgerEntry },
    lastEntryAt: joinedAt,
  } as MemberRecord

  test('the profile view masks the phone number and never shows the payment password’s hash', () => {
    const rules = { passwordAbove: 20000, maxFailures: 5 }
    const view = toProfileView(member, rules)
    expect(view.phoneMasked).toBe('138****5678')
    expect(JSON.stringify(view)).not.toContain('13812345678')
    expect(view.payPassword).toEqual({ state: 'unset', requiredAbove: 20000 })
    const withPassword = { ...member, payPassword: { hash: 'ab'.repeat(32), salt: 'cd'.repeat(16), failures: 4, setAt: joinedAt } }
    expect(toProfileView(withPassword, rules).payPassword.state).toBe('set')
    expect(toProfileView({ ...withPassword, payPassword: { ...withPassword.payPassword, failures: 5 } }, rules).payPassword.state).toBe('locked')
    expect(JSON.stringify(toProfileView(withPassword, rules))).not.toMatch(/abab|cdcd/)
    expect(view).toMatchObject({ name: '林小雨', birthdayLocked: true, consent: { version: '2026-01', at: joinedAt.toISOString() } })
  })

  test('the export holds the member’s data and none of the bookkeeping or WeChat identifiers', () => {
    const entry = (id: string, points: number, balance: number): LedgerEntry => ({
      _id: id,
      memberId: 'm_self',
      kind: balance ? 'topup' : 'join',
      points,
      balance,
      growth: 0,
      requestId: 'r',
      businessDay: '2026-01-01',
      createdAt: joinedAt,
      description: 'd',
    })
    const data = exportShape({
      member,
      ledger: [entry('topup:tp1', 0, 55_000), entry('join:m_self', 120, 0)],
      tierNames: { silver: '银卡会员', gold: '金卡会员' },
      cardTypeName: '个人卡',
      channelName: '李晓梅的专属码',
      topupOrders: [],
    })
    const text = JSON.stringify(data)
    for (const secret of ['o_secret_openid', 'u_secret', 'appliedEntries', 'outbox', 'st-li', 'requestId']) expect(text).not.toContain(secret)
    expect(data).toMatchObject({ profile: { phone: '13812345678', name: '林小雨' }, member: { tier: '金卡会员', memberNo: '10000009', storedValueFen: 55_000 } })
    const ledger = data.ledger as { id: string; points: number; storedValueFen: number }[]
    expect(ledger.map((entry) => [entry.id, entry.points, entry.storedValueFen])).toEqual([
      ['join:m_self', 120, 0],
      ['topup:tp1', 0, 55_000],
    ])
    expect((data.addresses as unknown[]).length).toBe(2)
  })
})
