import { serverOffsetMs } from '../../lib/server-clock'
import type { MemberCodeProps } from './types'

/**
 * weapp: render the native custom component src/components/member-code.
 * The page that uses this must declare it in its config:
 *   usingComponents: { 'member-code': '../../components/member-code/index' }
 */
export default function MemberCodeView({ code, expiresAt }: MemberCodeProps) {
  // kebab-case attribute, as WXML expects for the `expiresAt` property (Taro binds it to the camelCase data key)
  // the native component counts down with the phone's clock: hand it the expiry on that clock
  return <member-code code={code} expires-at={expiresAt - serverOffsetMs()} />
}
