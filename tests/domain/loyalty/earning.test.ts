import fc from 'fast-check'
import { checkinBonusEntryId, checkinWindow, streakBonusDue, streakInWindow } from '../../../domain/loyalty/earning'
import dayjs from 'dayjs'

const dayAfter = (day: string, n: number) => dayjs.utc(day).add(n, 'day').format('YYYY-MM-DD')
const days = (from: string, count: number) => Array.from({ length: count }, (_, i) => dayAfter(from, i))

describe('check-in streak bonus', () => {
  test('the 7th consecutive day earns the bonus; the 6th does not', () => {
    expect(streakBonusDue(days('2026-11-01', 7), '2026-11-07', 7, null)).toBe(true)
    expect(streakBonusDue(days('2026-11-01', 6), '2026-11-06', 7, null)).toBe(false)
  })

  test('a gap restarts the count', () => {
    const window = [...days('2026-11-01', 3), ...days('2026-11-05', 4)]
    expect(streakInWindow(window, '2026-11-08')).toBe(4)
    expect(streakBonusDue(window, '2026-11-08', 7, null)).toBe(false)
  })

  test('the 8th day after a bonus on the 7th earns none; the 14th does', () => {
    expect(streakBonusDue(days('2026-11-02', 7), '2026-11-08', 7, '2026-11-07')).toBe(false)
    expect(streakBonusDue(days('2026-11-08', 7), '2026-11-14', 7, '2026-11-07')).toBe(true)
  })

  test('a retry on the bonus day itself still sees the bonus as due (its id makes it apply once)', () => {
    expect(streakBonusDue(days('2026-11-01', 7), '2026-11-07', 7, '2026-11-07')).toBe(true)
  })

  test('a window not ending today (no check-in today) earns nothing', () => {
    expect(streakBonusDue(days('2026-11-01', 7), '2026-11-08', 7, null)).toBe(false)
  })

  test('property: with the window and last bonus day kept as check-in does, the bonus comes exactly on every N-th consecutive day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 80 }), (everyDays, gaps) => {
        let window: string[] = []
        let lastBonus: string | null = null
        let day = '2026-01-01'
        let streak = 0
        for (const gap of gaps) {
          day = dayAfter(day, gap)
          streak = gap === 1 ? streak + 1 : 1
          window = [...window, day].slice(-checkinWindow(everyDays))
          const due = streakBonusDue(window, day, everyDays, lastBonus)
          expect(due).toBe(streak % everyDays === 0)
          if (due) lastBonus = day
        }
      }),
      { numRuns: 300 },
    )
  })

  test('bonus entry ids are one per member and day', () => {
    expect(checkinBonusEntryId('m_1', '2026-11-07')).toBe('checkin-bonus:m_1:2026-11-07')
  })
})
