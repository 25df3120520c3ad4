export default definePageConfig({
  navigationBarTitleText: '等级与成长值',
})
