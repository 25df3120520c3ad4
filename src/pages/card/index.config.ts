export default definePageConfig({
  navigationBarTitleText: '会员卡',
  // weapp draws the member code with the native custom component; h5 uses a React twin.
  ...(process.env.TARO_ENV === 'weapp' ? { usingComponents: { 'member-code': '../../components/member-code/index' } } : {}),
})
