/**
 * The registry of scan codes (domain/shared/scan-code.ts): one document per code shown, `_id` the
 * code, naming what it stands for and when it expires. Showing a code is one write; reading one at
 * the counter is one read beside the count of the clerk's failed scans this minute, and one more
 * write to forgive the scan once its code is found.
 */
import { FAILED_SCANS_PER_MINUTE, SCAN_CODE_TTL_MS, newScanCode, parseScanCode, type ScanCodeKind } from '../../domain/shared/scan-code'
import { AppError } from '../../domain/shared/errors'
import { database, isDuplicateKey } from './cloud'
import type { StaffRecord } from './staff'

interface ScanCodeRecord {
  _id: string
  kind: ScanCodeKind
  /** the member, coupon or order the code names */
  subject: string
  expiresAt: Date
  createdAt: Date
  usedAt?: Date
  usedBy?: string
}

/** Codes and failure counts stay this long past their expiry (a disputed scan can be looked up), then the nightly trim removes them. */
const KEPT_AFTER_EXPIRY_MS = 86_400_000

const codes = () => database().collection('scan_codes')
const failures = () => database().collection('scan_failures')

const WHAT: Record<ScanCodeKind, string> = { member: '会员码', coupon: '券码', pickup: '提货码' }

/** A new code for `subject`, registered until its kind's time to live passes. */
export async function issueScanCode(kind: ScanCodeKind, subject: string, now: Date): Promise<{ code: string; expiresAt: number }> {
  const expiresAt = new Date(now.getTime() + SCAN_CODE_TTL_MS[kind])
  for (let attempt = 0; ; attempt++) {
    const code = newScanCode(kind)
    try {
      await codes().add({ _id: code, kind, subject, expiresAt, createdAt: now })
      return { code, expiresAt: expiresAt.getTime() }
    } catch (error) {
      // a live code drawn twice is one in 10^11; drawing again is the whole answer
      if (!isDuplicateKey(error) || attempt >= 3) throw error
    }
  }
}

/**
 * Counts a scan as failed before its code is looked up and forgives it once the code is found, so
 * a burst of guesses sent at once is counted as it arrives: the count is atomic, the answer to
 * each guess waits for it.
 */
async function countAttempt(key: string, staff: StaffRecord, now: Date): Promise<number> {
  const increment = async () => {
    const { doc } = (await failures()
      .where({ _id: key })
      .updateAndReturn({ count: database().command.inc(1) })) as { doc?: { count: number } }
    return doc?.count ?? null
  }
  const counted = await increment()
  if (counted !== null) return counted
  try {
    await failures().add({ _id: key, staffId: staff._id, count: 1, expiresAt: new Date(now.getTime() + 60_000) })
    return 1
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
    return (await increment()) ?? 1
  }
}

const forgive = (key: string) =>
  failures()
    .doc(key)
    .update({ count: database().command.inc(-1) })

/**
 * The code a clerk scanned or typed, if it is a live code of `kind`: its canonical form and what
 * it names. A code of the right shape that no one was shown counts against the clerk's minute;
 * past FAILED_SCANS_PER_MINUTE every scan of that minute is refused, found or not.
 */
export async function readScanCode(kind: ScanCodeKind, raw: string, staff: StaffRecord, now: Date): Promise<{ code: string; subject: string }> {
  const what = WHAT[kind]
  const parsed = parseScanCode(kind, raw)
  if (!parsed.ok) throw new AppError('CODE_INVALID', `${what}无效，请重新扫描`, [{ path: 'code', message: 'malformed' }])
  const key = `${staff._id}:${Math.floor(now.getTime() / 60_000)}`
  const [failed, found] = await Promise.all([countAttempt(key, staff, now), codes().doc(parsed.code).get()])
  if (failed > FAILED_SCANS_PER_MINUTE) throw new AppError('TOO_MANY_FAILED_SCANS', '识别失败次数过多，请 1 分钟后再试')
  const record = found.data[0] as ScanCodeRecord | undefined
  if (!record || record.kind !== kind) throw new AppError('CODE_INVALID', `${what}无效，请核对后重新输入`, [{ path: 'code', message: 'unknown' }])
  await forgive(key)
  if (now.getTime() >= new Date(record.expiresAt).getTime()) throw new AppError('CODE_EXPIRED', `${what}已过期，请顾客刷新后重新出示`)
  return { code: record._id, subject: record.subject }
}

/** A code that works once (the member code): the first use marks it, any later one is refused. */
export async function useScanCode(code: string, staff: StaffRecord, now: Date): Promise<void> {
  const _ = database().command
  const { updated } = await codes()
    .where({ _id: code, usedAt: _.exists(false) })
    .update({ usedAt: now, usedBy: staff._id })
  if (!updated) throw new AppError('CODE_USED', '该会员码已使用，请顾客刷新后重新出示')
}

/** Nightly: codes and failure counts a day past their expiry. */
export async function trimScanCodes(now: Date): Promise<{ removed: number }> {
  const before = database().command.lt(new Date(now.getTime() - KEPT_AFTER_EXPIRY_MS))
  const [fromCodes, fromFailures] = (await Promise.all([codes().where({ expiresAt: before }).remove(), failures().where({ expiresAt: before }).remove()])) as { deleted?: number }[]
  return { removed: (fromCodes.deleted ?? 0) + (fromFailures.deleted ?? 0) }
}
