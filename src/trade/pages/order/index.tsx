import { Text, View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro, { useDidHide, useDidShow, useRouter, useUnload } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { OrderView } from '@domain/contract'
import { ORDER_STAGE_TEXT, orderStatusText } from '@domain/orders'
import ConfirmDialog from '../../../components/confirm-dialog'
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../../components/page-state'
import { flag } from '../../../lib/flag'
import { ORDER_KIND_TEXT, ORDER_PAY_METHOD_TEXT, formatCountdown, formatFen, formatPointsPrice, formatShanghaiTime } from '../../../lib/format'
import { useIntent } from '../../../lib/use-intent'
import { useNow } from '../../../lib/use-now'
import { routeParam, routeUrl } from '../../../routes'
import { describeError, hasCode } from '../../../services/errors'
import { memberService } from '../../../services/member'
import { orderService } from '../../../services/order'
import { payOrder } from '../../../services/order-pay'
import CodeView from '../../components/code-view'
import PayMethodPicker, { type CashPayMethod } from '../../components/pay-method'
import PayPasswordField, { asksPayPassword, wrongPayPasswordText, type PayPasswordInfo } from '../../components/pay-password-field'
import { usePaySheet } from '../../lib/use-pay-sheet'
import { useSignedCode } from '../../lib/use-signed-code'
import './index.scss'

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'gone'; error: unknown } | { kind: 'ready'; order: OrderView }

type Action = { kind: 'idle' } | { kind: 'paying' | 'cancelling' } | { kind: 'asking-cancel' | 'asking-balance' } | { kind: 'failed'; error: unknown; what: string } | { kind: 'note'; text: string }

/** While the pickup code is on screen, ask how the order stands this often (the clerk hands it over). */
const PICKUP_POLL_MS = 4000

/** What a member may undo themself (the server decides): unpaid orders, and pickup orders not yet collected. */
function mayCancel(order: OrderView): boolean {
  if (order.status === 'created') return true
  return order.status === 'paid' && order.kind === 'mall' && order.fulfilment?.type === 'pickup' && !order.fulfilment.collectedAt
}

function statusHint(order: OrderView): string {
  const f = order.fulfilment
  switch (order.status) {
    case 'created':
      return '请在倒计时结束前完成支付，超时订单将自动关闭'
    case 'paid':
      if (order.stage === 'grouping') return `已付款，等待好友参团；成团后${f?.type === 'pickup' ? `到 ${f.storeName} 自提` : '发货'}，未成团将自动退款`
      if (f?.type === 'pickup') return `请到 ${f.storeName} 出示提货码领取`
      return '已付款，等待品牌发货'
    case 'fulfilled':
      if (f?.type === 'pickup' && f.collectedAt) return `已于 ${formatShanghaiTime(f.collectedAt)} 提货`
      if (f?.type === 'delivery' && f.shippedAt) return `已于 ${formatShanghaiTime(f.shippedAt)} 发货${f.carrier ? `（${f.carrier} ${f.trackingNo ?? ''}）` : ''}`
      return '订单已完成'
    case 'cancelled':
      return '订单已取消，积分和款项已退回'
    case 'refunded':
      return '订单已退款，积分和款项已原路退回'
  }
}

/** 订单详情: where the order stands, its log, 支付 (within 15 minutes), 取消订单 and the 提货码. */
export default function OrderPage() {
  const orderId = routeParam(useRouter().params, 'orderId')
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [balance, setBalance] = useState<number | null>(null)
  const [payPasswordInfo, setPayPasswordInfo] = useState<PayPasswordInfo | null>(null)
  const [payPassword, setPayPassword] = useState('')
  const [method, setMethod] = useState<CashPayMethod>('balance')
  const [action, setAction] = useState<Action>({ kind: 'idle' })
  const [showCode, setShowCode] = useState(false)
  const payIntent = useIntent('opay')
  const cancelIntent = useIntent('ocancel')
  const { port, sheet, alive } = usePaySheet('订单支付')
  const latest = useRef(0)
  const visible = useRef(true)

  const order = view.kind === 'ready' ? view.order : null
  const pickupReady = order?.stage === 'pickup'
  const code = useSignedCode(() => orderService.pickupCode(orderId), showCode && pickupReady)
  const counting = order?.status === 'created' && Boolean(order.payBy)
  const now = useNow(counting)

  const load = useCallback(
    async (showSpinner: boolean) => {
      if (!orderId) return
      const call = ++latest.current
      if (showSpinner) setView({ kind: 'loading' })
      try {
        const { order: fresh } = await orderService.detail(orderId)
        if (call !== latest.current) return
        setView({ kind: 'ready', order: fresh })
        if (fresh.status === 'created') {
          memberService
            .profile()
            .then(({ member, profile }) => {
              setBalance(member.balance)
              setPayPasswordInfo(profile.payPassword)
            })
            .catch(() => setBalance(null))
        }
      } catch (error) {
        if (call !== latest.current) return
        setView(hasCode(error, 'NOT_FOUND') ? { kind: 'gone', error } : { kind: 'error', error })
      }
    },
    [orderId],
  )

  useDidShow(() => {
    visible.current = true
    void load(view.kind !== 'ready')
  })
  useDidHide(() => {
    visible.current = false
  })
  useUnload(() => {
    visible.current = false
  })

  // the clerk scans the pickup code on another phone: notice the hand-over without a tap
  useEffect(() => {
    if (!showCode || !pickupReady) return undefined
    const timer = setInterval(() => {
      if (visible.current) void load(false)
    }, PICKUP_POLL_MS)
    return () => clearInterval(timer)
  }, [showCode, pickupReady, load])

  // the pay-by time passed on screen: the server closes the order; read it again
  const expired = counting && order?.payBy ? new Date(order.payBy).getTime() <= now : false
  useEffect(() => {
    if (expired) void load(false)
  }, [expired, load])

  if (!orderId) {
    return (
      <View className='page order-page'>
        <EmptyState title='没有找到这个订单' />
      </View>
    )
  }
  if (view.kind === 'loading') {
    return (
      <View className='page order-page'>
        <LoadingState text='正在加载订单…' />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page order-page'>
        <ErrorState error={view.error} onRetry={() => void load(true)} />
      </View>
    )
  }
  if (view.kind === 'gone' || !order) {
    return (
      <View className='page order-page'>
        <EmptyState title={view.kind === 'gone' ? describeError(view.error) : '没有找到这个订单'}>
          <Button className='btn btn--primary btn--small' onClick={() => void Taro.redirectTo({ url: routeUrl('orders') })}>
            查看我的订单
          </Button>
        </EmptyState>
      </View>
    )
  }

  const current = order
  const busy = action.kind === 'paying' || action.kind === 'cancelling'

  async function pay() {
    if (busy || current.status !== 'created') return
    const password = method === 'balance' && asksPayPassword(payPasswordInfo, current.amount) ? payPassword : undefined
    const requestId = payIntent.idFor(`${current.orderId}|${method}|${password ?? ''}`)
    setAction({ kind: 'paying' })
    try {
      const placed = await orderService.pay(current.orderId, method, requestId, password)
      setPayPassword('')
      payIntent.settle()
      const outcome = await payOrder(placed, port, { stopped: () => !alive.current })
      if (!alive.current) return
      setView({ kind: 'ready', order: outcome.order })
      if (outcome.kind === 'settled') {
        setAction({ kind: 'idle' })
        void Taro.showToast({ title: outcome.order.status === 'paid' ? '支付成功' : orderStatusText(outcome.order.status), icon: outcome.order.status === 'paid' ? 'success' : 'none' })
      } else if (outcome.kind === 'cancelled') setAction({ kind: 'note', text: '已取消支付，没有扣款；可在倒计时结束前继续支付' })
      else if (outcome.kind === 'failed') setAction({ kind: 'note', text: outcome.message })
      else setAction({ kind: 'note', text: '支付结果确认中，请稍后刷新' })
    } catch (error) {
      if (!alive.current) return
      setPayPassword('')
      const wrong = wrongPayPasswordText(error)
      setAction(wrong ? { kind: 'note', text: wrong } : { kind: 'failed', error, what: '支付失败：' })
    }
  }

  async function cancel() {
    const requestId = cancelIntent.idFor(current.orderId)
    setAction({ kind: 'cancelling' })
    try {
      const { order: closed } = await orderService.cancel(current.orderId, requestId)
      cancelIntent.settle()
      setShowCode(false)
      setView({ kind: 'ready', order: closed })
      setAction({ kind: 'idle' })
      void Taro.showToast({ title: '订单已取消', icon: 'success' })
    } catch (error) {
      setAction({ kind: 'failed', error, what: '取消失败：' })
    }
  }

  const f = current.fulfilment
  const payLeft = current.payBy ? new Date(current.payBy).getTime() - now : 0

  return (
    <View className='page order-page'>
      <View className={`order-status order-status--${current.status}`}>
        <View className='order-status__text' id='order-status'>
          {ORDER_STAGE_TEXT[current.stage]}
        </View>
        <View className='order-status__hint' id='order-status-hint'>
          {statusHint(current)}
        </View>
        {current.status === 'created' && current.payBy ? (
          <View className='order-status__countdown' id='order-pay-countdown'>
            {payLeft > 0 ? `剩余支付时间 ${formatCountdown(payLeft)}` : '支付已超时'}
          </View>
        ) : null}
      </View>

      <View className='section'>
        <View className='order-item'>
          <View className='badge order-item__kind'>{ORDER_KIND_TEXT[current.kind]}</View>
          <View className='order-item__title' id='order-title'>
            {current.title}
          </View>
          <View className='order-item__qty'>× {current.quantity}</View>
        </View>
        {current.points > 0 && (
          <View className='list-row'>
            <View className='list-row__title'>积分</View>
            <View className='list-row__side' id='order-points'>
              −{current.points}
            </View>
          </View>
        )}
        {current.amount > 0 && (
          <View className='list-row'>
            <View className='list-row__title'>金额</View>
            <View className='list-row__side' id='order-amount'>
              {formatFen(current.amount)}
            </View>
          </View>
        )}
        <View className='list-row'>
          <View className='list-row__title'>合计</View>
          <View className='list-row__side text-brand'>{formatPointsPrice(current.points, current.amount)}</View>
        </View>
        {current.payMethod && (
          <View className='list-row'>
            <View className='list-row__title'>支付方式</View>
            <View className='list-row__side' id='order-pay-method'>
              {current.points > 0 && current.payMethod !== 'points' ? '积分 + ' : ''}
              {ORDER_PAY_METHOD_TEXT[current.payMethod]}
            </View>
          </View>
        )}
        <View className='list-row'>
          <View className='list-row__title'>下单时间</View>
          <View className='list-row__side'>{formatShanghaiTime(current.createdAt, 'YYYY-MM-DD HH:mm:ss')}</View>
        </View>
        <View className='order-id'>订单号 {current.orderNo}</View>
      </View>

      {current.status === 'created' && current.amount > 0 && (
        <View className='section order-pay' id='order-pay'>
          <View className='section__title'>支付方式</View>
          <PayMethodPicker value={method} balance={balance} amount={current.amount} onChange={(next) => !busy && setMethod(next)} idPrefix='order-pay' />
          <Button
            className='btn btn--primary order-action'
            id='order-pay-submit'
            loading={flag(action.kind === 'paying')}
            disabled={flag(busy)}
            onClick={() => (method === 'balance' ? setAction({ kind: 'asking-balance' }) : void pay())}
          >
            {action.kind === 'paying' ? '支付中…' : `立即支付 ${formatFen(current.amount)}`}
          </Button>
        </View>
      )}

      {f?.type === 'pickup' && (
        <View className='section order-pickup' id='order-pickup'>
          <View className='section__title'>
            门店自提
            <Text className='section__hint'>{f.storeName}</Text>
          </View>
          {current.stage === 'grouping' && (
            <View className='order-pickup__tip' id='order-pickup-after-group'>
              成团后即可出示提货码到店领取
            </View>
          )}
          {current.stage === 'pickup' && !showCode && (
            <Button className='btn btn--primary order-action' id='order-pickup-code-button' onClick={() => setShowCode(true)}>
              出示提货码
            </Button>
          )}
          {current.stage === 'pickup' && showCode && (
            <View className='order-pickup__code'>
              {code.state.kind === 'ready' ? (
                <>
                  <CodeView id='pickup-code' code={code.state.code} expiresAt={code.state.expiresAt} label='提货码' />
                  {code.state.refreshError ? <ErrorNotice prefix='提货码刷新失败：' error={code.state.refreshError} /> : null}
                  <View className='order-pickup__tip'>请向 {f.storeName} 店员出示提货码；提货码定时更新，截图无效</View>
                </>
              ) : code.state.kind === 'error' ? (
                <ErrorState error={code.state.error} onRetry={code.refresh} />
              ) : (
                <LoadingState text='正在生成提货码…' />
              )}
            </View>
          )}
          {f.collectedAt && (
            <View className='list-row'>
              <View className='list-row__title'>提货时间</View>
              <View className='list-row__side' id='order-collected-at'>
                {formatShanghaiTime(f.collectedAt)}
              </View>
            </View>
          )}
        </View>
      )}

      {f?.type === 'delivery' && (
        <View className='section' id='order-delivery'>
          <View className='section__title'>快递配送</View>
          <View className='order-address'>{f.address}</View>
          {f.carrier || f.trackingNo ? (
            <View className='list-row'>
              <View className='list-row__title'>物流</View>
              <View className='list-row__side' id='order-tracking'>
                {f.carrier ?? ''} {f.trackingNo ?? ''}
              </View>
            </View>
          ) : null}
        </View>
      )}

      {current.groupId && (
        <View className='section'>
          <View className='list-row' id='order-group-link' onClick={() => void Taro.navigateTo({ url: routeUrl('group', { groupId: current.groupId }) })}>
            <View className='list-row__title'>查看拼团进度</View>
            <View className='list-row__arrow'>›</View>
          </View>
        </View>
      )}

      <View className='section' id='order-transitions'>
        <View className='section__title'>订单记录</View>
        {current.transitions.length === 0 ? (
          <View className='text-muted'>暂无记录</View>
        ) : (
          [...current.transitions].reverse().map((step, index) => (
            <View className='order-step' key={`${step.at}-${index}`}>
              <View className='order-step__dot' />
              <View className='order-step__main'>
                <View className='order-step__title'>
                  {orderStatusText(step.to)}
                  <Text className='order-step__reason'>{step.reason}</Text>
                </View>
                <View className='order-step__at'>{formatShanghaiTime(step.at, 'YYYY-MM-DD HH:mm:ss')}</View>
              </View>
            </View>
          ))
        )}
      </View>

      {action.kind === 'failed' ? <ErrorNotice id='order-action-error' prefix={action.what} error={action.error} /> : null}
      {action.kind === 'note' ? (
        <View className='notice' id='order-action-note'>
          {action.text}
        </View>
      ) : null}

      {mayCancel(current) && (
        <Button className='btn btn--ghost order-action' id='order-cancel' disabled={flag(busy)} onClick={() => setAction({ kind: 'asking-cancel' })}>
          取消订单
        </Button>
      )}

      {action.kind === 'asking-balance' && (
        <ConfirmDialog
          id='order-balance-confirm'
          title='确认使用储值支付？'
          confirmText='确认支付'
          confirmDisabled={asksPayPassword(payPasswordInfo, current.amount) && (payPasswordInfo?.state !== 'set' || payPassword.length !== 6)}
          onConfirm={() => void pay()}
          onCancel={() => setAction({ kind: 'idle' })}
        >
          <View>
            {current.title} × {current.quantity}
          </View>
          <View id='order-balance-confirm-text'>
            将从储值余额扣除 {formatFen(current.amount)}
            {balance !== null ? `，支付后余额 ${formatFen(Math.max(0, balance - current.amount))}` : ''}
          </View>
          {payPasswordInfo && asksPayPassword(payPasswordInfo, current.amount) ? (
            <PayPasswordField info={payPasswordInfo} value={payPassword} onChange={setPayPassword} id='order-pay-password' />
          ) : null}
        </ConfirmDialog>
      )}
      {(action.kind === 'asking-cancel' || action.kind === 'cancelling') && (
        <ConfirmDialog
          id='order-cancel-confirm'
          title='确认取消订单？'
          confirmText='确认取消'
          cancelText='再想想'
          danger
          busy={action.kind === 'cancelling'}
          onConfirm={() => void cancel()}
          onCancel={() => setAction({ kind: 'idle' })}
        >
          <View>
            {current.title} × {current.quantity}
          </View>
          <View>
            {current.status === 'created'
              ? '订单尚未支付，取消后商品库存将释放。'
              : `已使用的${current.points > 0 ? ` ${current.points} 积分` : ''}${current.amount > 0 ? `${current.points > 0 ? '和' : ''} ${formatFen(current.amount)}` : ''}将退回。`}
          </View>
        </ConfirmDialog>
      )}
      {sheet}
    </View>
  )
}
