/** The orders context's pure rules as other contexts and the entry points use them. */
export { ORDER_STAGE_TEXT, newOrder, orderStage, orderStatusText, type OrderRecord } from './order'
