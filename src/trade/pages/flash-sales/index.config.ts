export default definePageConfig({
  navigationBarTitleText: '限时秒杀',
  // 分享给好友 from the menu: the sale on now, with the member's share code
  enableShareAppMessage: true,
})
