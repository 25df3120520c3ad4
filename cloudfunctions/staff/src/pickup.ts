/** 门店自提: the clerk scans the member's pickup code and hands the goods over. */
import type { ActionResults, ParsedInput } from '../../../domain/contract'
import { AppError } from '../../../domain/shared/errors'
import { groupNotFormed } from '../../../domain/orders'
import { readScanCode } from '../../../backend/platform/scan-codes'
import { findMember, storeName } from '../../../backend/membership'
import { findOrder, toOrderView, transition } from '../../../backend/orders'
import type { StaffRecord } from '../../../backend/platform/staff'
import { counterEntryId, logCounterAction } from '../../../backend/loyalty'

/** The pickup order a code names, for this clerk's store, once its goods may be handed over (a group-buy's group formed). */
async function pickupOrder(pickupCode: string, staff: StaffRecord, now: Date) {
  const { subject } = await readScanCode('pickup', pickupCode, staff, now)
  const order = await findOrder(subject)
  if (!order || order.fulfilment?.type !== 'pickup') throw new AppError('ORDER_NOT_FOUND', '未找到该自提订单')
  if (order.fulfilment.storeId !== staff.storeId) throw new AppError('PICKUP_OTHER_STORE', `该订单需在 ${await storeName(order.fulfilment.storeId)} 提货`)
  const waiting = groupNotFormed(order, 'pickup')
  if (waiting) throw waiting
  const member = await findMember(order.memberId)
  if (!member) throw new AppError('MEMBER_NOT_FOUND', '未找到该会员')
  return { order: { ...order, fulfilment: order.fulfilment }, member }
}

/** What the code hands over, shown to the clerk before 确认交付; nothing changes. */
export async function previewPickup({ pickupCode }: ParsedInput<'staff', 'previewPickup'>, staff: StaffRecord, now: Date): Promise<ActionResults['staff']['previewPickup']> {
  const { order, member } = await pickupOrder(pickupCode, staff, now)
  if (order.status !== 'paid') throw order.status === 'fulfilled' ? new AppError('ALREADY_PICKED_UP', '该订单已提货') : new AppError('ORDER_NOT_PAID', '订单状态不能提货')
  return { order: await toOrderView(order), memberNo: member.memberNo }
}

/**
 * The code is read in its canonical form (domain/shared/scan-code.ts); its use is remembered on the order it
 * names (fulfilled, with this hand-over's id), so `"code\n"` after `"code"` finds it collected.
 */
export async function collectPickup({ pickupCode, requestId }: ParsedInput<'staff', 'collectPickup'>, staff: StaffRecord, now: Date): Promise<ActionResults['staff']['collectPickup']> {
  const { order, member } = await pickupOrder(pickupCode, staff, now)
  const handOverId = counterEntryId('pickup', staff, requestId)
  let current = order
  if (order.status !== 'fulfilled') {
    const moved = await transition(order, 'fulfilled', '门店提货', staff._id, now, {
      fulfilment: { ...order.fulfilment, collectedAt: now, staffId: staff._id },
      handOverId,
    })
    current = (moved ?? (await findOrder(order._id))) as typeof order
  }
  if (current.status !== 'fulfilled' || (current as typeof order & { handOverId?: string }).handOverId !== handOverId) {
    throw current.status === 'fulfilled' ? new AppError('ALREADY_PICKED_UP', '该订单已提货') : new AppError('ORDER_NOT_PAID', '订单状态不能提货')
  }
  await logCounterAction(handOverId, staff, 'collectPickup', member, `提货：${order.title}`, now)
  return { order: await toOrderView(current), memberNo: member.memberNo }
}
