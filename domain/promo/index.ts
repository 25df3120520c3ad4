/** The promo context's pure rules as other contexts and the entry points use them. */
export { flashSaleSchema } from './flash-sale'
export { groupCampaignSchema } from './group-buy'
