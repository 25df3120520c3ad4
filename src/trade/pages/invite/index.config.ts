export default definePageConfig({
  navigationBarTitleText: '邀请有礼',
  // 邀请好友: the share button (openType='share') sends the invite card; Moments gets the same page
  enableShareAppMessage: true,
  enableShareTimeline: true,
})
