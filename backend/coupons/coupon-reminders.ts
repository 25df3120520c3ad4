/**
 * 到期提醒: one reminder for every unused coupon that expires within three days, queued once
 * (the message id is the coupon's; `reminderQueuedAt` takes it out of the index's selection).
 * A run of the job runner each night, its shards cut under each template with such coupons.
 */
import type { CouponRecord } from '../../domain/coupons/coupon'
import { formatInstant } from '../../domain/shared/time'
import { database } from '../platform/cloud'
import type { Job } from '../platform/job-runner'
import { queueMessage } from '../platform/messages'

export const REMIND_BEFORE_MS = 3 * 86_400_000

function expiringSoon(now: Date) {
  const _ = database().command
  return { status: 'unused', validTo: _.gt(now).and(_.lte(new Date(now.getTime() + REMIND_BEFORE_MS))), reminderQueuedAt: _.exists(false) }
}

export const couponRemindersJob: Job<{ timeZone: string }> = {
  name: 'coupon-reminders',
  collection: 'coupons',
  where: (_params, now) => expiringSoon(now),
  fields: { memberId: true, terms: true, validTo: true },
  async work(document, { timeZone }, now) {
    const coupon = document as unknown as Pick<CouponRecord, '_id' | 'memberId' | 'terms' | 'validTo'>
    const added = await queueMessage({
      _id: `coupon-expiry:${coupon._id}`,
      memberId: coupon.memberId,
      template: 'coupon_expiry',
      page: 'pages/card/index',
      data: { name: coupon.terms.name, validTo: formatInstant(coupon.validTo, timeZone) },
      status: 'pending',
      createdAt: now,
    })
    await database().collection('coupons').doc(coupon._id).update({ reminderQueuedAt: now })
    return added ? 1 : 0
  },
}

/** The id prefixes of tonight's coupons to remind (`<template>:m_`: coupon ids are template, member, slot), for the run's shards. */
export async function reminderPrefixes(now: Date): Promise<string[]> {
  const { data } = await database().collection('coupons').aggregate().match(expiringSoon(now)).group({ _id: '$templateId' }).limit(1000).end()
  return (data as { _id: string }[]).map((group) => `${group._id}:m_`)
}
