/** The mall context's persistence and orchestration as other contexts and the entry points use them. */
export { exchange, hiddenFromTier } from './exchange'
export { closeExpiredMallOrder, findProduct, productsOnShelf, staleHoldsJob } from './mall'
