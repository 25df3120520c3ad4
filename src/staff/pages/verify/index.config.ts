export default definePageConfig({
  navigationBarTitleText: '查询会员码',
})
