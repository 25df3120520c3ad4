/**
 * The port to WeChat's server APIs (subscribe messages, mini-program codes, ...), called the
 * way wx-server-sdk's `cloud.openapi.*` does: a protobuf `wx.openApi` request through CloudBase.
 * The emulator answers and records these calls, so tests can read what would have been sent.
 */
import { AppError } from '../../domain/shared/errors'
import { cloudApp } from './cloud'
import { decodeOpenApiResponse, encodeOpenApiRequest } from './openapi-codec'

export type OpenApiResult = { json: Record<string, unknown> } | { contentType: string; buffer: Buffer }

export async function callOpenApi(apiName: string, data: Record<string, unknown>): Promise<OpenApiResult> {
  const raw = (await cloudApp().callCompatibleWxOpenApi({ apiName, requestData: encodeOpenApiRequest(data) })) as unknown as Buffer
  const response = decodeOpenApiResponse(Buffer.from(raw))
  if (!/application\/json|text\/plain/.test(response.contentType)) {
    return { contentType: response.contentType, buffer: response.body }
  }
  const json = JSON.parse(response.body.toString()) as Record<string, unknown>
  const errcode = Number(json.errcode ?? 0)
  if (errcode !== 0) throw new AppError('WECHAT_API_FAILED', `微信接口 ${apiName} 失败：${errcode} ${String(json.errmsg ?? '')}`)
  return { json }
}
