export default definePageConfig({
  navigationBarTitleText: '门店台账',
})
