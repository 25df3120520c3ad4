import { defineFunction } from '../../../backend/platform/handler'
import { FOLLOWERS } from '../../../backend/compositions/followers'
import { cardHandlers } from '../../../backend/membership/join'
import { cardServiceHandlers } from './card-services'
import { profileHandlers } from '../../../backend/membership/profile'
import { storeHandlers } from './stores'

export const main = defineFunction('member', { ...cardHandlers(FOLLOWERS), ...profileHandlers, ...cardServiceHandlers, ...storeHandlers })
