import type { ActionName } from '../../domain/contract'
import type { ActionHandler } from '../platform/handler'

/** One member action's handler, typed from the contract (input, context and result). */
export type MemberHandler<A extends ActionName<'member'>> = ActionHandler<'member', A>

export type MemberHandlers<A extends ActionName<'member'>> = { [K in A]: MemberHandler<K> }
