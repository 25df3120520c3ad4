export default definePageConfig({
  navigationBarTitleText: '我的优惠券',
  // 朋友券: the share button (openType='share') sends the friend page with the share id
  enableShareAppMessage: true,
})
