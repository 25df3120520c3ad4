/** weapp: WeChat Pay's own sheet through Taro.requestPayment. */
import Taro from '@tarojs/taro'
import type { RequestPay } from './pay-types'

export type { PayOutcome, PayRequest, PaySheet } from './pay-types'

export const requestPay: RequestPay = async ({ payment }) => {
  try {
    await Taro.requestPayment({ ...payment })
    return { kind: 'submitted' }
  } catch (err) {
    const errMsg = (err as { errMsg?: string } | null)?.errMsg ?? String(err)
    // "requestPayment:fail cancel" when the user closes WeChat Pay's sheet
    if (/cancel/i.test(errMsg)) return { kind: 'cancelled' }
    return { kind: 'failed', message: errMsg }
  }
}

export const SIMULATED_PAY = false
