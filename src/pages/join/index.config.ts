export default definePageConfig({
  navigationBarTitleText: '成为会员',
})
