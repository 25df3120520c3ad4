/**
 * h5 (local development against the emulator): no WeChat wallet. The page's simulated sheet
 * asks the user, then this tells the emulator what WeChat Pay would have notified:
 *   POST /h5/pay/confirm  Authorization: Bearer <token>  { orderId, result: 'SUCCESS' | 'FAIL' }
 * 取消 is reported as FAIL, so the order does not stay open.
 */
import { clientError, ServiceError } from './errors'
import type { RequestPay } from './pay-types'
import { clearDevSession, goToDevLogin, readDevSession } from './session'
import { httpFailureCode } from './wire'

export type { PayOutcome, PayRequest, PaySheet } from './pay-types'

async function confirm(orderId: string, result: 'SUCCESS' | 'FAIL'): Promise<void> {
  const session = readDevSession()
  if (!session) {
    goToDevLogin()
    throw clientError('LOGIN_REQUIRED', 'no demo session')
  }
  let response: Response
  try {
    response = await fetch('/h5/pay/confirm', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ orderId, result }),
    })
  } catch (err) {
    throw clientError('NETWORK', err instanceof Error ? err.message : String(err))
  }
  if (response.ok) return
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null
  if (response.status === 401) {
    clearDevSession()
    goToDevLogin()
  }
  if (response.status === 401) throw clientError('SESSION_EXPIRED', body?.error?.message ?? 'HTTP 401')
  throw new ServiceError(httpFailureCode(response.status, body?.error?.code), 'GATEWAY_FAILED', body?.error?.message ?? `HTTP ${response.status}`)
}

export const requestPay: RequestPay = async (request, sheet) => {
  const go = await sheet.ask(request)
  await confirm(request.orderId, go ? 'SUCCESS' : 'FAIL')
  return go ? { kind: 'submitted' } : { kind: 'cancelled' }
}

export const SIMULATED_PAY = true
