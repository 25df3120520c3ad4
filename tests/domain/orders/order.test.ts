import type { OrderStatus } from '../../../domain/contract'
import { AppError } from '../../../domain/shared/errors'
import { assertTransition, canTransition, statusesBefore } from '../../../domain/orders/order'

const ALL: OrderStatus[] = ['created', 'paid', 'fulfilled', 'cancelled', 'refunded']
const LEGAL: [OrderStatus, OrderStatus][] = [
  ['created', 'paid'],
  ['created', 'cancelled'],
  ['paid', 'fulfilled'],
  ['paid', 'refunded'],
  ['fulfilled', 'refunded'],
]

describe('the order state machine', () => {
  test('exactly the five transitions of the design are legal', () => {
    const legal = ALL.flatMap((from) => ALL.filter((to) => canTransition(from, to)).map((to) => [from, to]))
    expect(legal).toEqual(LEGAL)
  })

  test('an illegal transition is FAILED_PRECONDITION, reason ORDER_TRANSITION_INVALID', () => {
    for (const from of ALL) {
      for (const to of ALL) {
        if (LEGAL.some(([a, b]) => a === from && b === to)) continue
        let error: unknown
        try {
          assertTransition(from, to)
        } catch (caught) {
          error = caught
        }
        expect(error).toBeInstanceOf(AppError)
        expect((error as AppError).code).toBe('FAILED_PRECONDITION')
        expect((error as AppError).reason).toBe('ORDER_TRANSITION_INVALID')
      }
    }
  })

  test('cancelled and refunded are final; refunds come from paid or fulfilled', () => {
    expect(ALL.filter((to) => canTransition('cancelled', to) || canTransition('refunded', to))).toEqual([])
    expect(statusesBefore('refunded')).toEqual(['paid', 'fulfilled'])
    expect(statusesBefore('paid')).toEqual(['created'])
  })
})
