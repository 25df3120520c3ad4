/**
 * Platform-neutral stand-in. Taro resolves `./transport` to `transport.weapp.ts` or
 * `transport.h5.ts` for those builds (file-suffix resolution); this file is what the
 * type checker sees and what any other platform would get.
 */
import { clientError } from './errors'
import type { Transport } from './wire'

export const send: Transport = async (call) => {
  throw clientError('UNSUPPORTED_PLATFORM', `no transport for platform "${process.env.TARO_ENV}" (call ${call.name}.${call.action})`)
}
