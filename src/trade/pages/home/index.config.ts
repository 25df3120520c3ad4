export default definePageConfig({
  navigationBarTitleText: '商城·活动',
})
