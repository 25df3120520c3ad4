/** The mall context's pure rules as other contexts and the entry points use them. */
export { catalogue, isVisibleTo, productSchema, toProductView } from './mall'
