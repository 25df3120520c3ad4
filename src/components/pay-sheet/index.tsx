import { Button, View } from '@tarojs/components'
import { formatFen } from '../../lib/format'
import type { PayRequest } from '../../services/pay'
import './index.scss'

/**
 * H5 only: stands in for WeChat Pay's sheet during local development. The page shows it when
 * the pay transport asks (services/pay.h5.ts); the choice goes to the emulator as WeChat Pay's
 * notification would.
 */
export default function PaySheet({ request, merchant = '会员储值', onAnswer }: { request: PayRequest; merchant?: string; onAnswer: (pay: boolean) => void }) {
  return (
    <View className='pay-sheet' id='pay-sheet' catchMove>
      <View className='pay-sheet__mask' />
      <View className='pay-sheet__panel'>
        <View className='pay-sheet__title'>模拟微信支付</View>
        <View className='pay-sheet__dev'>本地开发环境 · 不会产生真实扣款</View>
        <View className='pay-sheet__merchant'>花漾美妆 · {merchant}</View>
        <View className='pay-sheet__amount' id='pay-sheet-amount'>
          {formatFen(request.amount)}
        </View>
        <Button className='btn pay-sheet__confirm' id='pay-sheet-confirm' onClick={() => onAnswer(true)}>
          确认支付
        </Button>
        <Button className='btn btn--ghost pay-sheet__cancel' id='pay-sheet-cancel' onClick={() => onAnswer(false)}>
          取消
        </Button>
      </View>
    </View>
  )
}
