import { createHash } from 'node:crypto'

/**
 * The order number people read (客服, the counter, the member): the business day it was placed and
 * 12 digits of a hash of its id — 20 digits, never the internal id. It is a reference, not a key:
 * at 100,000 orders in a day the odds that two of that day share a number are about 0.5 %, and a
 * lookup by number answers every order that has it.
 */
export function orderNumber(orderId: string, placedOn: string): string {
  return `${placedOn.replace(/-/g, '')}${(BigInt(`0x${createHash('sha256').update(orderId).digest('hex').slice(0, 15)}`) % 10n ** 12n).toString().padStart(12, '0')}`
}
