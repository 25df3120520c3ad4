import { referenceNumber } from '../../../domain/shared/reference-number'
import type { OrderStatus } from '../../../domain/contract'
import { AppError } from '../../../domain/shared/errors'
import { assertTransition, canTransition, orderStage, statusesBefore } from '../../../domain/orders/order'

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

describe('orderStage: the status read with how the goods reach the member', () => {
  const now = new Date('2026-12-02T04:00:00Z')
  const pickup = { type: 'pickup' as const, storeId: 's-jingan', collectedAt: null, staffId: null }
  const delivery = (shippedAt: Date | null) => ({
    type: 'delivery' as const,
    address: '上海市静安区南京西路 1515 号',
    carrier: shippedAt ? '顺丰' : null,
    trackingNo: shippedAt ? 'SF1234567890' : null,
    shippedAt,
  })
  test.each([
    ['an unpaid order', { status: 'created', kind: 'flash', fulfilment: null }, false, 'unpaid'],
    ['a paid group-buy seat before its group is formed', { status: 'paid', kind: 'groupbuy', fulfilment: pickup }, false, 'grouping'],
    ['a paid group-buy seat once the group is formed, for pickup', { status: 'paid', kind: 'groupbuy', fulfilment: pickup }, true, 'pickup'],
    ['a paid mall order for pickup', { status: 'paid', kind: 'mall', fulfilment: pickup }, false, 'pickup'],
    ['a paid order for delivery', { status: 'paid', kind: 'flash', fulfilment: delivery(null) }, false, 'shipping'],
    ['an order shipped 6 days ago', { status: 'fulfilled', kind: 'mall', fulfilment: delivery(new Date(now.getTime() - 6 * 86_400_000)) }, false, 'shipped'],
    ['an order shipped 7 days ago', { status: 'fulfilled', kind: 'mall', fulfilment: delivery(new Date(now.getTime() - 7 * 86_400_000)) }, false, 'done'],
    ['a collected pickup', { status: 'fulfilled', kind: 'mall', fulfilment: { ...pickup, collectedAt: now } }, false, 'done'],
    ['a refunded order', { status: 'refunded', kind: 'groupbuy', fulfilment: null }, true, 'refunded'],
    ['a cancelled order', { status: 'cancelled', kind: 'mall', fulfilment: pickup }, false, 'cancelled'],
  ] as const)('%s', (_name, order, groupFormed, stage) => {
    expect(orderStage(order as Parameters<typeof orderStage>[0], groupFormed, now)).toBe(stage)
  })
})

describe('referenceNumber', () => {
  test('20 digits: the day it was placed and 12 digits from its id, the same for the same id', () => {
    const id = 'mall:m_8101abf25db7193217e0288b:req-1'
    expect(referenceNumber(id, '2026-12-02')).toMatch(/^20261202\d{12}$/)
    expect(referenceNumber(id, '2026-12-02')).toBe(referenceNumber(id, '2026-12-02'))
    const numbers = new Set(Array.from({ length: 10_000 }, (_, n) => referenceNumber(`flash:fs-1:m_${n}:1`, '2026-12-02')))
    expect(numbers.size).toBe(10_000)
  })
})
