import type { ActionName, ActionResults, ParsedInput } from '../../../domain/contract'
import type { ActionContext } from '../../../backend/handler'

/** One member action's handler, typed from the contract. */
export type MemberHandler<A extends ActionName<'member'>> = (input: ParsedInput<'member', A>, context: ActionContext) => Promise<ActionResults['member'][A]>

export type MemberHandlers<A extends ActionName<'member'>> = { [K in A]: MemberHandler<K> }
