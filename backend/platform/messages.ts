/**
 * The messages port: what the system wants to tell a member (coupon expiry, group-buy result …)
 * is queued here, one document per message with an id derived from its cause, so a job that runs
 * twice queues nothing twice. Sending through WeChat subscribe messages, within each member's
 * accepted quota per template, is the messages module's job (a later issue); until then the queue
 * is what tests and operators read.
 */
import { database, isDuplicateKey } from './cloud'

export interface QueuedMessage {
  _id: string
  memberId: string
  template: 'coupon_expiry' | 'group_result'
  page: string
  data: Record<string, string>
  status: 'pending' | 'sent' | 'skipped'
  createdAt: Date
}

/** Queues a message once; false when it was queued before. */
export async function queueMessage(message: QueuedMessage): Promise<boolean> {
  try {
    await database().collection('messages').add(message)
    return true
  } catch (error) {
    if (isDuplicateKey(error)) return false
    throw error
  }
}
