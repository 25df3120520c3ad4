import Taro, { useLaunch } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import './app.scss'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'weapp') {
      // Once per launch; every service call then goes through Taro.cloud.callFunction.
      Taro.cloud.init({ env: CLOUD_ENV_ID, traceUser: true })
    }
  })
  return children
}

export default App
