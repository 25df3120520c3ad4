import { defineFunction } from '../../../backend/platform/handler'
import { FOLLOWERS } from '../../../backend/compositions/followers'
import { cardHandlers } from '../../../backend/compositions/card'
import { personalDataHandlers } from '../../../backend/compositions/personal-data'
import { cardServiceHandlers } from './card-services'
import { profileHandlers } from '../../../backend/membership'
import { storeHandlers } from './stores'

export const main = defineFunction('member', { ...cardHandlers(FOLLOWERS), ...profileHandlers, ...personalDataHandlers, ...cardServiceHandlers, ...storeHandlers })
