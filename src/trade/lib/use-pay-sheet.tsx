import { useUnload } from '@tarojs/taro'
import { useRef, useState } from 'react'
import PaySheet from '../../components/pay-sheet'
import { SIMULATED_PAY, type PayRequest, type PaySheet as PaySheetPort } from '../../services/pay'

/**
 * The simulated 微信支付 sheet for a page (H5 only; on weapp WeChat draws its own and `sheet` is
 * never rendered). Render `sheet` at the end of the page and pass `port` to payOrder().
 */
export function usePaySheet(merchant: string) {
  const [request, setRequest] = useState<PayRequest | null>(null)
  const answer = useRef<((pay: boolean) => void) | null>(null)
  const alive = useRef(true)

  useUnload(() => {
    alive.current = false
    answer.current?.(false)
  })

  const port: PaySheetPort = {
    ask: (next) =>
      new Promise<boolean>((resolve) => {
        answer.current = resolve
        setRequest(next)
      }),
  }

  function onAnswer(pay: boolean) {
    const resolve = answer.current
    answer.current = null
    setRequest(null)
    resolve?.(pay)
  }

  const sheet = SIMULATED_PAY && request ? <PaySheet request={request} merchant={merchant} onAnswer={onAnswer} /> : null
  return { port, sheet, alive }
}
