import { businessDay, daysBefore, previousDay } from '../../../domain/shared/time'

describe('business day in Asia/Shanghai', () => {
  test('an instant just before midnight in Shanghai belongs to that day, one just after to the next', () => {
    // 2026-11-24 23:59:59 in Shanghai is 15:59:59 UTC
    expect(businessDay(Date.parse('2026-11-24T15:59:59.999Z'))).toBe('2026-11-24')
    expect(businessDay(Date.parse('2026-11-24T16:00:00.000Z'))).toBe('2026-11-25')
  })

  test('the UTC date and the Shanghai business day differ between 16:00 and 24:00 UTC', () => {
    const instant = Date.parse('2026-12-31T18:30:00Z')
    expect(new Date(instant).toISOString().slice(0, 10)).toBe('2026-12-31')
    expect(businessDay(instant)).toBe('2027-01-01')
  })

  test('another configured time zone moves the boundary', () => {
    expect(businessDay(Date.parse('2026-11-24T16:30:00Z'), 'Europe/London')).toBe('2026-11-24')
  })

  test('previous day crosses month and year ends', () => {
    expect(previousDay('2027-01-01')).toBe('2026-12-31')
    expect(previousDay('2028-03-01')).toBe('2028-02-29')
    expect(daysBefore('2028-03-02', 3)).toEqual(['2028-03-01', '2028-02-29', '2028-02-28'])
  })
})
