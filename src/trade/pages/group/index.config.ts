export default definePageConfig({
  navigationBarTitleText: '拼团',
  // 邀请好友参团: the share button (openType='share') sends this page with the group id
  enableShareAppMessage: true,
})
