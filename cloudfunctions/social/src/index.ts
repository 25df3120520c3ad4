import { defineFunction } from '../../../backend/platform/handler'
import { socialHandlers } from '../../../backend/social'

export const main = defineFunction('social', socialHandlers)
