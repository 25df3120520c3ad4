/** weapp: WeChat cloud functions. `Taro.cloud.init` runs once in app.tsx. */
import Taro from '@tarojs/taro'
import { clientError } from './errors'
import { isCallAnswer, type Transport } from './wire'

export const send: Transport = async ({ name, action, input }) => {
  let result: unknown
  try {
    const res = await Taro.cloud.callFunction({ name, data: { action, input } })
    result = res.result
  } catch (err) {
    const errMsg = (err as { errMsg?: string } | null)?.errMsg ?? String(err)
    throw clientError('NETWORK', errMsg)
  }
  if (!isCallAnswer(result)) throw clientError('BAD_ANSWER', `unexpected answer from ${name}.${action}`)
  return result
}
