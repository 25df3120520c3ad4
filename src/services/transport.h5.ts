/**
 * h5 (local development against the emulator, same origin):
 * POST /h5/call  Authorization: Bearer <token>  { name, data: { action, input } }
 *   200 → { result: CallAnswer }   401 → { error: { code: 'UNAUTHENTICATED', message } }
 */
import { clientError, ServiceError } from './errors'
import { clearDevSession, goToDevLogin, readDevSession } from './session'
import { httpFailureCode, isCallAnswer, type Transport } from './wire'

export const send: Transport = async ({ name, action, input }) => {
  const session = readDevSession()
  if (!session) {
    goToDevLogin()
    throw clientError('LOGIN_REQUIRED', 'no demo session')
  }

  let response: Response
  try {
    response = await fetch('/h5/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ name, data: { action, input } }),
    })
  } catch (err) {
    throw clientError('NETWORK', err instanceof Error ? err.message : String(err))
  }

  const body = (await response.json().catch(() => null)) as { result?: unknown; error?: { code?: string; message?: string } } | null

  if (response.status === 401) {
    clearDevSession()
    goToDevLogin()
    throw clientError('SESSION_EXPIRED', body?.error?.message ?? 'HTTP 401')
  }
  if (!response.ok) {
    throw new ServiceError(httpFailureCode(response.status, body?.error?.code), 'GATEWAY_FAILED', body?.error?.message ?? `HTTP ${response.status}`)
  }
  if (!body || !isCallAnswer(body.result)) throw clientError('BAD_ANSWER', `unexpected answer from ${name}.${action}`)
  return body.result
}
