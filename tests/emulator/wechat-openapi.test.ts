import { decodeOpenApiResponse, encodeOpenApiRequest } from '../../backend/platform/openapi-codec'
import { startTestEmulator, type TestEmulator } from '../support/emulator'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(() => emulator?.stop())

async function recorded(api?: string) {
  const response = await fetch(`${emulator.url}/emulator/wechat-calls${api ? `?api=${encodeURIComponent(api)}` : ''}`)
  return ((await response.json()) as { calls: { transport: string; apiName: string; request: Record<string, unknown>; errcode: number }[] }).calls
}

describe('WeChat open APIs through the emulator (nothing leaves the machine)', () => {
  test('wx.api (callWxOpenApi) is answered with JSON and recorded', async () => {
    const requestData = { touser: 'o_someone', template_id: 'TPL_POINTS', data: { thing1: { value: '签到成功' } } }
    const { result } = await emulator.app().callWxOpenApi({ apiName: '/cgi-bin/message/subscribe/send', requestData })
    expect(result).toMatchObject({ errcode: 0, errmsg: 'ok' })
    const [call] = await recorded('/cgi-bin/message/subscribe/send')
    expect(call).toMatchObject({ transport: 'wx.api', request: requestData, errcode: 0 })
  })

  test('wx.openApi (the protobuf path wx-server-sdk uses) decodes the request and answers in protobuf', async () => {
    const data = { touser: 'o_someone', template_id: 'TPL_GROUP', page: 'pages/card/index', data: { thing1: { value: '拼团成功' } }, miniprogram_state: 'developer' }
    const raw = await emulator.app().callCompatibleWxOpenApi({ apiName: 'subscribeMessage.send', requestData: encodeOpenApiRequest(data) })
    const response = decodeOpenApiResponse(Buffer.from(raw as Buffer))
    expect(response.contentType).toMatch(/application\/json/)
    expect(JSON.parse(response.body.toString())).toMatchObject({ errcode: 0, errmsg: 'ok' })
    const calls = await recorded('subscribeMessage.send')
    expect(calls[calls.length - 1]).toMatchObject({ transport: 'wx.openApi', request: data })
  })

  test('a mini-program code request returns image bytes; a scene over 32 characters is refused (40169)', async () => {
    const ok = decodeOpenApiResponse(
      Buffer.from((await emulator.app().callCompatibleWxOpenApi({ apiName: 'wxacode.getUnlimited', requestData: encodeOpenApiRequest({ scene: 'c-li', page: 'pages/join/index' }) })) as Buffer),
    )
    expect(ok.contentType).toBe('image/png')
    expect(ok.body.subarray(1, 4).toString()).toBe('PNG')
    const refused = decodeOpenApiResponse(
      Buffer.from((await emulator.app().callCompatibleWxOpenApi({ apiName: 'wxacode.getUnlimited', requestData: encodeOpenApiRequest({ scene: 'x'.repeat(33) }) })) as Buffer),
    )
    expect(JSON.parse(refused.body.toString()).errcode).toBe(40169)
  })

  test('sending to nobody is refused like WeChat does (40003)', async () => {
    const { result } = await emulator.app().callWxOpenApi({ apiName: 'subscribeMessage.send', requestData: { template_id: 'T', data: {} } })
    expect(result).toMatchObject({ errcode: 40003 })
  })
})
