export default definePageConfig({
  navigationBarTitleText: '卡片服务',
})
