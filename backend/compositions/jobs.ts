/** Every job the runner knows, by name (the name is stored in each run). */
import { couponRemindersJob } from '../coupons'
import { allInvariantsJob, birthdaysJob, expiryJob, grantJob, invariantsJob, tierReviewJob, trimJob } from '../loyalty'
import type { Job, Jobs } from '../platform/job-runner'
import { SWEEPS } from './sweeps'

const all: Job<never>[] = [expiryJob, trimJob, birthdaysJob, tierReviewJob, invariantsJob, allInvariantsJob, grantJob, couponRemindersJob, ...SWEEPS]

export const JOBS: Jobs = new Map(all.map((job) => [job.name, job]))
