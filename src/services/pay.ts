/**
 * Platform-neutral stand-in (what the type checker sees). Taro resolves `./pay` to
 * `pay.weapp.ts` (Taro.requestPayment) or `pay.h5.ts` (simulated sheet + the emulator's pay
 * confirmation) for those builds.
 */
import { clientError } from './errors'
import type { RequestPay } from './pay-types'

export type { PayOutcome, PayRequest, PaySheet } from './pay-types'

export const requestPay: RequestPay = async () => {
  throw clientError('UNSUPPORTED_PLATFORM', `no payment for platform "${process.env.TARO_ENV}"`)
}

/** True when the page must draw the simulated pay sheet itself (H5). */
export const SIMULATED_PAY = false
