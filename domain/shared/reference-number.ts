import { createHash } from 'node:crypto'

/**
 * The number people read for an order or a counter receipt (客服, the counter, the member): the
 * business day it was made and 12 digits of a hash of its id — 20 digits, never the internal id.
 * It is a reference, not a key: at 100,000 in a day the odds that two of that day share a number
 * are about 0.5 %, and a lookup by number answers every record that has it.
 */
export function referenceNumber(id: string, madeOn: string): string {
  return `${madeOn.replace(/-/g, '')}${(BigInt(`0x${createHash('sha256').update(id).digest('hex').slice(0, 15)}`) % 10n ** 12n).toString().padStart(12, '0')}`
}
