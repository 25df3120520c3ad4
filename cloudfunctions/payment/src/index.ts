import { AppError } from '../../../domain/shared/errors'
import { defineFunction, type PlatformEventHandler } from '../../../backend/platform/handler'
import { ORDER_KINDS } from '../../../backend/compositions/order-kinds'
import { onOrderPayment } from '../../../backend/orders'
import { asPayNotification } from '../../../backend/platform/payment'
import { createTopup, listTopupOptions, onPayNotification, topupStatus } from '../../../backend/loyalty'

/** WeChat Pay's payment notifications arrive as events without an action. */
const platformEvents: PlatformEventHandler = (event, context) => {
  const note = asPayNotification(event)
  if (!note) return undefined
  // Orders of the mall, flash sales and group-buys pay as `OD…`; top-ups with their own order ids.
  if (note.outTradeNo.startsWith('OD')) {
    if (context.caller.openid) return Promise.resolve({ ok: false, error: new AppError('PAY_NOTIFICATION_ONLY', '支付结果只接受微信支付的通知').toJSON() })
    return onOrderPayment(note, context.now, ORDER_KINDS)
  }
  return onPayNotification(note, context)
}

export const main = defineFunction(
  'payment',
  {
    topupOptions: () => listTopupOptions(),
    createTopup: (input, context) => createTopup(input, context),
    topupStatus: (input, { caller }) => topupStatus(input, caller),
  },
  platformEvents,
)
