/** Whose birthday is a business day: members born on 29 February celebrate on the 28th in other years. */
import dayjs from 'dayjs'

export function birthdaysOn(day: string): string[] {
  const monthDay = day.slice(5)
  const leap = dayjs(`${day.slice(0, 4)}-02-29`).format('MM-DD') === '02-29'
  return monthDay === '02-28' && !leap ? ['02-28', '02-29'] : [monthDay]
}
