/** The orders context's pure rules as other contexts and the entry points use them. */
export { ORDER_STAGE_TEXT, groupNotFormed, newOrder, orderStage, orderStatusText, type OrderRecord } from './order'
export { FULFILMENT_TYPES, formatAddress, fulfilmentTypesSchema, fulfilmentUnsupported, resolveFulfilment, type Fulfilment, type FulfilmentInput, type FulfilmentType } from './fulfilment'
