/** Every job the runner knows, by name (the name is stored in each run). */
import { birthdaysJob, expiryJob, tierReviewJob, trimJob } from '../loyalty'
import type { Job, Jobs } from '../platform/job-runner'

const all: Job<never>[] = [expiryJob, trimJob, birthdaysJob, tierReviewJob]

export const JOBS: Jobs = new Map(all.map((job) => [job.name, job]))
