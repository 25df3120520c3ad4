/**
 * Head-office administration: run from the CloudBase console (no WeChat user in the context)
 * or by a staff member with the admin role; the router admits no one else (HEAD_OFFICE in the contract).
 */
import type { ActionResults } from '../../../domain/contract'
import { AppError } from '../../../domain/shared/errors'
import { yearOf } from '../../../domain/loyalty'
import { loyaltyConfig } from '../../../backend/platform/config-store'
import { defineFunction } from '../../../backend/platform/handler'
import { randomBytes } from 'node:crypto'
import { allInvariantsJob, expiryJob, invariantsJob, tierReviewJob, trimJob, VIOLATION_SEPARATOR } from '../../../backend/loyalty'
import { latestCutoffYear } from '../../../domain/loyalty'
import { currentDeadline, withDeadline } from '../../../backend/platform/jobs'
import { saveConfigDocument, validateConfig } from '../../../backend/platform/config-check'
import { runFindings, runJob, runProgress } from '../../../backend/platform/job-runner'
import { bulkGrant } from './grant'
import { markShipped } from './orders'

type Results = ActionResults['admin']

/** Each call from the console is a run of its own (a second one finds only what is left). */
const consoleRunKey = (prefix: string) => `${prefix}:console-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`

/** Clock skew allowed for an asOf sent by the console. */
const FUTURE_SLACK_MS = 60_000

const handler = defineFunction('admin', {
  async validateConfig(): Promise<Results['validateConfig']> {
    return validateConfig()
  },

  async saveConfig({ collection, document }): Promise<Results['saveConfig']> {
    return saveConfigDocument(collection, document)
  },

  async bulkGrant(input, { now }): Promise<Results['bulkGrant']> {
    const { brand } = await loyaltyConfig()
    return bulkGrant(input, consoleRunKey(`grant:${input.batchId}`), now, currentDeadline(), brand.timeZone)
  },

  async runTierReview({ year }, { now }): Promise<Results['runTierReview']> {
    const { brand, tiers } = await loyaltyConfig()
    if (year >= yearOf(now, brand.timeZone)) {
      throw new AppError('YEAR_NOT_ENDED', '只能评审已经结束的年份', [{ path: 'year', message: 'must be a year that has ended' }])
    }
    const run = await runJob(tierReviewJob, consoleRunKey(`tier-review:${year}`), { year, higherTiers: tiers.slice(1).map((tier) => tier._id) }, now, currentDeadline())
    return { year, reviewed: run.items, downgraded: run.changed, runKey: run.key }
  },

  async runPointsExpiry({ asOf }, { now }): Promise<Results['runPointsExpiry']> {
    if (asOf !== undefined && asOf > now.getTime() + FUTURE_SLACK_MS) {
      throw new AppError('EXPIRY_IN_FUTURE', '不能提前让积分过期', [{ path: 'asOf', message: 'must not be in the future' }])
    }
    const { rules, brand } = await loyaltyConfig()
    const at = new Date(asOf ?? now.getTime())
    if (rules.expiry.policy === 'never') return { asOf: at.toISOString(), members: 0, expiredPoints: 0, runKey: null }
    const cutoffYear = latestCutoffYear(at, brand.timeZone)
    const run = await runJob(expiryJob, consoleRunKey(`expiry:${cutoffYear}`), { cutoffYear }, now, currentDeadline())
    return { asOf: at.toISOString(), members: run.touched, expiredPoints: run.changed, runKey: run.key }
  },

  async trimOutboxes(_input, { now }): Promise<Results['trimOutboxes']> {
    const run = await runJob(trimJob, consoleRunKey('trim'), {}, now, currentDeadline())
    return { members: run.touched, trimmed: run.changed, runKey: run.key }
  },

  /** the listed members (a member that does not exist is a violation), or every member */
  async checkInvariants({ memberIds }, { now }): Promise<Results['checkInvariants']> {
    const key = consoleRunKey('invariants')
    const run = memberIds ? await runJob(invariantsJob, key, { memberIds }, now, currentDeadline()) : await runJob(allInvariantsJob, key, {}, now, currentDeadline())
    const violations = (await runFindings(run.key, 1000)).flatMap((finding) =>
      finding.reason === 'INVARIANT_VIOLATED'
        ? finding.message.split(VIOLATION_SEPARATOR).map((message) => ({ memberId: finding.documentId, message }))
        : [{ memberId: finding.documentId, message: '会员不存在' }],
    )
    return { checked: run.items, violations, runKey: run.key, done: run.status === 'done' }
  },

  async jobRun({ key }): Promise<Results['jobRun']> {
    const run = await runProgress(key)
    if (!run) throw new AppError('JOB_RUN_NOT_FOUND', '没有找到这次任务', [{ path: 'key', message: 'no run has this key' }])
    return { run, findings: await runFindings(key) }
  },

  /** by the admin who did it, or by the console */
  async markShipped(input, { staff, now }): Promise<Results['markShipped']> {
    return markShipped(input, staff?._id ?? 'console', now)
  },
})

export const main = withDeadline(handler)
