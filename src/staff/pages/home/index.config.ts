export default definePageConfig({
  navigationBarTitleText: '店员工作台',
})
