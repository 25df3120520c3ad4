export default definePageConfig({
  navigationBarTitleText: '会员章程与隐私政策',
})
