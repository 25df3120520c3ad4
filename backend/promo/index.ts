/** The promo context's persistence and orchestration as other contexts and the entry points use them. */
export { flashBuy, listSales } from './flash-sale'
export { giveSeatBack, groupView, joinGroup, listCampaigns, memberGroups, onGroupOrderPaid, startGroup } from './group-buy'
export { PROMO_SWEEPS } from './promo-jobs'
