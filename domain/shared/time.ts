import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'
import timezone from 'dayjs/plugin/timezone'

dayjs.extend(utc)
dayjs.extend(timezone)

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

/** The brand's business day (YYYY-MM-DD) that an instant falls on. */
export function businessDay(instant: Date | number, timeZone: string = DEFAULT_TIME_ZONE): string {
  return dayjs(instant).tz(timeZone).format('YYYY-MM-DD')
}

/** The calendar day before a business day, for streaks. */
export function previousDay(day: string): string {
  return dayjs.utc(day).subtract(1, 'day').format('YYYY-MM-DD')
}

/** The `count` calendar days before a business day, latest first. */
export function daysBefore(day: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    dayjs
      .utc(day)
      .subtract(i + 1, 'day')
      .format('YYYY-MM-DD'),
  )
}

/** Formats an instant for display in the brand's time zone. */
export function formatInstant(instant: Date | number | string, timeZone: string = DEFAULT_TIME_ZONE): string {
  return dayjs(instant).tz(timeZone).format('YYYY-MM-DD HH:mm')
}
