import { paymentActions } from '../../../domain/contract'
import { defineFunction, type PlatformEventHandler } from '../../../backend/handler'
import { asPayNotification } from '../../../backend/payment'
import { createTopup, listTopupOptions, onPayNotification, topupStatus } from './topup'

/** WeChat Pay's payment notifications arrive as events without an action. */
const platformEvents: PlatformEventHandler = (event, context) => {
  const note = asPayNotification(event)
  return note ? onPayNotification(note, context) : undefined
}

export const main = defineFunction(
  'payment',
  paymentActions,
  {
    topupOptions: () => listTopupOptions(),
    createTopup: (input, context) => createTopup(input, context),
    topupStatus: (input, { caller }) => topupStatus(input, caller),
  },
  platformEvents,
)
