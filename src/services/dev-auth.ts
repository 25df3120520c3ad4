/**
 * H5-only demo login against the local emulator:
 *   GET  /h5/personas → { personas: [{ id, label, description }] }
 *   POST /h5/login { persona } → { token, openid, scene }
 */
import { clientError, ServiceError } from './errors'
import { httpFailureCode } from './wire'
import { saveDevSession, type DevSession, type PersonaId } from './session'

export interface Persona {
  id: PersonaId
  label: string
  description: string
}

async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response
  try {
    response = await fetch(url, init)
  } catch (err) {
    throw clientError('NETWORK', err instanceof Error ? err.message : String(err))
  }
  const body = (await response.json().catch(() => null)) as (T & { error?: { code?: string; message?: string } }) | null
  if (!response.ok || !body) {
    throw new ServiceError(httpFailureCode(response.status, body?.error?.code), 'GATEWAY_FAILED', body?.error?.message ?? `HTTP ${response.status}`)
  }
  return body
}

export const devAuthService = {
  async personas(): Promise<Persona[]> {
    const body = await requestJson<{ personas: Persona[] }>('/h5/personas')
    return Array.isArray(body.personas) ? body.personas : []
  },
  async login(persona: PersonaId): Promise<DevSession> {
    const body = await requestJson<{ token: string; openid: string; scene: string | null }>('/h5/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ persona }),
    })
    const session: DevSession = { token: body.token, openid: body.openid, scene: body.scene ?? null, persona }
    saveDevSession(session)
    return session
  },
}
