/**
 * Answers the WeChat open-API calls that functions make through CloudBase and records them,
 * so tests can assert on what would have been sent. Nothing leaves this machine.
 *   wx.api      JSON: { apiName, requestData: JSON string } → { data: { responseData: JSON string } }
 *   wx.openApi  multipart with a protobuf CommApiData → protobuf CommOpenApiResp
 */
import { createHash } from 'node:crypto'
import { decodeOpenApiRequest, encodeOpenApiResponse } from '../backend/platform/openapi-codec'
import { DEMO_MEMBER_OPENID, DEMO_MEMBER_PHONE } from './seed'
import type { AdminReply, AdminRequest } from './server'

/**
 * The H5 app's stand-in for WeChat's phone authorisation sends `h5-dev-code:<openid>`: the number
 * of that WeChat account (the demo member's is her real one, anyone else's is made from the openid).
 */
const H5_ACCOUNT_CODE = 'h5-dev-code:'
const ACCOUNT_PHONES: Record<string, string> = { [DEMO_MEMBER_OPENID]: DEMO_MEMBER_PHONE }

export interface WeChatCall {
  at: number
  transport: 'wx.api' | 'wx.openApi'
  apiName: string
  request: unknown
  errcode: number
  /** the JSON WeChat answered (an image answer: its content type only) */
  response: unknown
}

/** A 1×1 PNG standing in for a generated mini-program code image. */
const PLACEHOLDER_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

/** The mainland mobile number the emulated WeChat hands out for a phone code: 1[3-9] + 9 digits, the same for the same code. */
export function phoneForCode(code: string): string {
  const digest = createHash('sha256').update(code).digest()
  let digits = ''
  for (let i = 1; digits.length < 9; i++) digits += String(digest[i] % 10)
  return `1${3 + (digest[0] % 7)}${digits}`
}

function answer(apiName: string, request: Record<string, unknown>, now: number): { errcode: number; json?: Record<string, unknown>; png?: Buffer } {
  if (/wxacode\.getUnlimited|getwxacodeunlimit/.test(apiName)) {
    const scene = String(request.scene ?? '')
    if (scene.length === 0 || scene.length > 32) return { errcode: 40169, json: { errcode: 40169, errmsg: 'invalid length for scene' } }
    return { errcode: 0, png: PLACEHOLDER_PNG }
  }
  if (/phonenumber\.getPhoneNumber|getuserphonenumber/.test(apiName)) {
    const code = String(request.code ?? '')
    if (code === '' || code === 'invalid') return { errcode: 40029, json: { errcode: 40029, errmsg: 'invalid code' } }
    const account = code.startsWith(H5_ACCOUNT_CODE) ? code.slice(H5_ACCOUNT_CODE.length) : null
    const phone = account === null ? phoneForCode(code) : (ACCOUNT_PHONES[account] ?? phoneForCode(account))
    return {
      errcode: 0,
      json: {
        errcode: 0,
        errmsg: 'ok',
        phone_info: { phoneNumber: phone, purePhoneNumber: phone, countryCode: '86', watermark: { timestamp: Math.floor(now / 1000), appid: 'wx0000000000000000' } },
      },
    }
  }
  if (/subscribeMessage\.send|subscribe\/send/.test(apiName)) {
    if (!request.touser) return { errcode: 40003, json: { errcode: 40003, errmsg: 'invalid openid' } }
    if (!request.template_id && !request.templateId) return { errcode: 40037, json: { errcode: 40037, errmsg: 'invalid template_id' } }
  }
  return { errcode: 0, json: { errcode: 0, errmsg: 'ok', msgid: now } }
}

export class WeChatRecorder {
  private readonly calls: WeChatCall[] = []

  /** `now`: WeChat's time, the emulator's business clock (ms) */
  constructor(private readonly now: () => number = Date.now) {}

  list(apiName?: string): WeChatCall[] {
    return this.calls.filter((call) => !apiName || call.apiName === apiName)
  }

  clear() {
    this.calls.length = 0
  }

  async handleApi(request: AdminRequest): Promise<AdminReply> {
    const apiName = String(request.params.apiName ?? '')
    const body = JSON.parse(String(request.params.requestData ?? '{}')) as Record<string, unknown>
    const result = answer(apiName, body, this.now())
    this.calls.push({ at: this.now(), transport: 'wx.api', apiName, request: body, errcode: result.errcode, response: result.json ?? { contentType: 'image/png' } })
    const responseData = result.png ? JSON.stringify({ errcode: 0, contentType: 'image/png', buffer: result.png.toString('base64') }) : JSON.stringify(result.json)
    return { body: { data: { responseData } } }
  }

  async handleOpenApi(request: AdminRequest): Promise<AdminReply> {
    const apiName = String(request.params.apiName ?? '')
    const raw = request.params.requestData
    const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw ?? ''))
    const body = decodeOpenApiRequest(bytes)
    const result = answer(apiName, body, this.now())
    this.calls.push({ at: this.now(), transport: 'wx.openApi', apiName, request: body, errcode: result.errcode, response: result.json ?? { contentType: 'image/png' } })
    const response = result.png
      ? { body: result.png, contentType: 'image/png', errorCode: 0 }
      : { body: Buffer.from(JSON.stringify(result.json)), contentType: 'application/json; charset=utf-8', errorCode: 0 }
    return { raw: encodeOpenApiResponse(response), contentType: 'application/octet-stream' }
  }
}
