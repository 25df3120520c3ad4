/** The orders context's pure rules as other contexts and the entry points use them. */
export { newOrder, orderStatusText, type OrderRecord } from './order'
