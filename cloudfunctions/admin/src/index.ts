/**
 * Head-office administration: run from the CloudBase console (no WeChat user in the context)
 * or by a staff member with the admin role; every action checks that first.
 */
import { adminActions } from '../../../domain/contract'
import type { ActionResults } from '../../../domain/contract'
import { AppError } from '../../../domain/errors'
import { yearOf } from '../../../domain/expiry'
import { loyaltyConfig } from '../../../backend/config-store'
import { defineFunction } from '../../../backend/handler'
import { checkInvariants, currentDeadline, runPointsExpiry, runTierReview, trimOutboxes, withDeadline } from '../../../backend/jobs'
import { requireAdmin } from '../../../backend/staff'
import { validateConfig } from './config-check'
import { bulkGrant } from './grant'
import { markShipped } from './orders'

type Results = ActionResults['admin']

/** Clock skew allowed for an asOf sent by the console. */
const FUTURE_SLACK_MS = 60_000

const handler = defineFunction('admin', adminActions, {
  async validateConfig(_input, { caller }): Promise<Results['validateConfig']> {
    await requireAdmin(caller)
    return validateConfig()
  },

  async bulkGrant(input, { caller, now }): Promise<Results['bulkGrant']> {
    await requireAdmin(caller)
    const { brand } = await loyaltyConfig()
    return bulkGrant(input, now, brand.timeZone)
  },

  async runTierReview({ year }, { caller, now }): Promise<Results['runTierReview']> {
    await requireAdmin(caller)
    const { brand, tiers } = await loyaltyConfig()
    if (year >= yearOf(now, brand.timeZone)) {
      throw new AppError('YEAR_NOT_ENDED', '只能评审已经结束的年份', [{ path: 'year', message: 'must be a year that has ended' }])
    }
    const run = await runTierReview(year, tiers, now, brand.timeZone, { deadline: currentDeadline() })
    return { year, reviewed: run.reviewed, downgraded: run.downgraded }
  },

  async runPointsExpiry({ asOf }, { caller, now }): Promise<Results['runPointsExpiry']> {
    await requireAdmin(caller)
    if (asOf !== undefined && asOf > now.getTime() + FUTURE_SLACK_MS) {
      throw new AppError('EXPIRY_IN_FUTURE', '不能提前让积分过期', [{ path: 'asOf', message: 'must not be in the future' }])
    }
    const { rules, brand } = await loyaltyConfig()
    const run = await runPointsExpiry(new Date(asOf ?? now.getTime()), rules.expiry.policy, brand.timeZone, { deadline: currentDeadline() })
    return { asOf: run.asOf, members: run.members, expiredPoints: run.expiredPoints }
  },

  async trimOutboxes(_input, { caller, now }): Promise<Results['trimOutboxes']> {
    await requireAdmin(caller)
    const run = await trimOutboxes(now, { deadline: currentDeadline() })
    return { members: run.members, trimmed: run.trimmed }
  },

  async checkInvariants({ memberIds }, { caller }): Promise<Results['checkInvariants']> {
    await requireAdmin(caller)
    return checkInvariants(memberIds, { deadline: currentDeadline() })
  },

  async markShipped(input, { caller, now }): Promise<Results['markShipped']> {
    const staff = await requireAdmin(caller)
    return markShipped(input, staff?._id ?? 'console', now)
  },
})

export const main = withDeadline(handler)
