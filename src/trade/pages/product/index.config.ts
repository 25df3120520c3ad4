export default definePageConfig({
  navigationBarTitleText: '商品详情',
  // 分享给好友 from the menu: the product, with the member's share code
  enableShareAppMessage: true,
})
