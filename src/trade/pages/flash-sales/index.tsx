import { Text, View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro, { useDidShow, useShareAppMessage } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'
import type { FlashSaleView } from '@domain/contract'
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../../components/page-state'
import { flag } from '../../../lib/flag'
import { formatCountdown, formatFen, formatShanghaiTime } from '../../../lib/format'
import { useNow } from '../../../lib/use-now'
import { useOpenedScene } from '../../../lib/use-opened-scene'
import { useShareCode } from '../../../lib/use-share-code'
import { routeUrl } from '../../../routes'
import { hasCode, hasReason } from '../../../services/errors'
import { createIntent, type Intent } from '../../../services/intent'
import { promoService } from '../../../services/promo'
import ConfirmDialog from '../../../components/confirm-dialog'
import { FulfilmentSection } from '../../components/fulfilment-picker'
import NotMemberState from '../../components/not-member'
import Picture from '../../components/picture'
import { useFulfilmentChoice } from '../../lib/use-fulfilment-choice'
import './index.scss'

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'not-member' } | { kind: 'ready'; sales: FlashSaleView[] }

type Attempt = { busy: boolean; error: unknown }

/** The state on screen: the server's, moved on by the clock (an upcoming sale goes live at startAt, a live one ends at endAt). */
function stateAt(sale: FlashSaleView, now: number): FlashSaleView['state'] {
  if (sale.state === 'soldOut' || sale.stockLeft <= 0) return 'soldOut'
  if (now >= new Date(sale.endAt).getTime()) return 'ended'
  if (now >= new Date(sale.startAt).getTime()) return 'live'
  return 'upcoming'
}

/**
 * 限时秒杀: before the start the button is disabled and counts down; 立即抢购 places an order to
 * pay within 15 minutes (on the order's page); once sold out it reads 已抢光 for everyone.
 */
export default function FlashSalesPage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [attempts, setAttempts] = useState<Record<string, Attempt>>({})
  /** the sale whose 立即抢购 was tapped: how the goods come is asked before the unit is taken */
  const [asking, setAsking] = useState<FlashSaleView | null>(null)
  const fulfil = useFulfilmentChoice(asking?.fulfilment ?? null)
  const intents = useRef(new Map<string, Intent>())
  const latest = useRef(0)
  const sales = view.kind === 'ready' ? view.sales : []
  const now = useNow(sales.some((sale) => sale.state === 'upcoming' || sale.state === 'live'))
  useOpenedScene()
  /** what a share of this page features: the sale on now, else the next one */
  const featured = sales.find((sale) => sale.state === 'live') ?? sales.find((sale) => sale.state === 'upcoming') ?? null
  const shareCode = useShareCode(featured ? { type: 'flashSale', id: featured.saleId } : null)
  useShareAppMessage(() => ({ title: featured ? `限时秒杀「${featured.title}」` : '花漾美妆 · 限时秒杀', path: routeUrl('flashSales', { s: shareCode }) }))

  async function load(showSpinner: boolean) {
    const call = ++latest.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const { sales: fresh } = await promoService.flashSales()
      if (call === latest.current) setView({ kind: 'ready', sales: fresh })
    } catch (error) {
      if (call !== latest.current) return
      setView(hasReason(error, 'NOT_A_MEMBER') ? { kind: 'not-member' } : { kind: 'error', error })
    }
  }

  useDidShow(() => void load(view.kind !== 'ready'))

  // a sale just started on screen: read the stock again
  const startedOnScreen = sales
    .filter((sale) => sale.state === 'upcoming' && stateAt(sale, now) === 'live')
    .map((sale) => sale.saleId)
    .join(',')
  useEffect(() => {
    if (startedOnScreen) void load(false)
  }, [startedOnScreen])

  function intentFor(saleId: string): Intent {
    let intent = intents.current.get(saleId)
    if (!intent) {
      intent = createIntent('flash')
      intents.current.set(saleId, intent)
    }
    return intent
  }

  async function buy(sale: FlashSaleView) {
    const fulfilment = fulfil.input
    if (attempts[sale.saleId]?.busy || !fulfilment) return
    const intent = intentFor(sale.saleId)
    const requestId = intent.idFor(`${sale.saleId}|${sale.boughtByMe}|${JSON.stringify(fulfilment)}`)
    setAttempts((current) => ({ ...current, [sale.saleId]: { busy: true, error: null } }))
    try {
      const { order } = await promoService.flashBuy({ saleId: sale.saleId, fulfilment, requestId })
      intent.settle()
      setAttempts((current) => ({ ...current, [sale.saleId]: { busy: false, error: null } }))
      setAsking(null)
      void Taro.navigateTo({ url: routeUrl('order', { orderId: order.orderId }) })
    } catch (error) {
      setAsking(null)
      setAttempts((current) => ({ ...current, [sale.saleId]: { busy: false, error } }))
      // sold out or over the limit meanwhile: show the sale as it is now
      if (hasCode(error, 'FAILED_PRECONDITION')) void load(false)
    }
  }

  return (
    <View className='page flash-page'>
      <View className='flash-banner'>
        <View className='flash-banner__title'>限时秒杀</View>
        <View className='flash-banner__text'>抢到后请在 15 分钟内完成支付，超时自动释放库存</View>
      </View>
      {view.kind === 'loading' && <LoadingState text='正在加载秒杀活动…' />}
      {view.kind === 'error' && <ErrorState error={view.error} onRetry={() => void load(true)} />}
      {view.kind === 'not-member' && <NotMemberState title='成为会员后即可参加秒杀' />}
      {view.kind === 'ready' && sales.length === 0 && <EmptyState title='暂时没有秒杀活动' hint='敬请期待下一场' />}
      {view.kind === 'ready' && sales.length > 0 && (
        <View id='flash-list'>
          {sales.map((sale) => {
            const state = stateAt(sale, now)
            const attempt = attempts[sale.saleId]
            const limitReached = sale.boughtByMe >= sale.perMemberLimit
            const untilStart = new Date(sale.startAt).getTime() - now
            const untilEnd = new Date(sale.endAt).getTime() - now
            const canBuy = state === 'live' && !limitReached && !attempt?.busy
            const label =
              state === 'soldOut'
                ? '已抢光'
                : state === 'ended'
                  ? '已结束'
                  : state === 'upcoming'
                    ? `${formatCountdown(untilStart)} 后开抢`
                    : limitReached
                      ? '已抢购'
                      : attempt?.error
                        ? '再抢一次'
                        : '立即抢购'
            return (
              <View className={`section flash-item flash-item--${state}`} key={sale.saleId} id={`flash-${sale.saleId}`}>
                <View className='flash-item__body'>
                  <View className='flash-item__picture'>
                    <Picture id={`flash-picture-${sale.saleId}`} src={sale.image} placeholder='秒' imageClass='flash-item__image' placeholderClass='flash-item__placeholder' />
                  </View>
                  <View className='flash-item__main'>
                    <View className='flash-item__title'>{sale.title}</View>
                    <View className='flash-item__prices'>
                      <Text className='flash-item__price'>{formatFen(sale.price)}</Text>
                      <Text className='flash-item__list'>{formatFen(sale.listPrice)}</Text>
                    </View>
                    <View className='flash-item__meta' id={`flash-state-${sale.saleId}`}>
                      {state === 'upcoming'
                        ? `${formatShanghaiTime(sale.startAt, 'MM-DD HH:mm')} 开抢 · 限量 ${sale.stockLeft} 件`
                        : state === 'live'
                          ? `剩余 ${sale.stockLeft} 件 · 距结束 ${formatCountdown(untilEnd)}`
                          : state === 'soldOut'
                            ? '已抢光，下次早点来'
                            : '活动已结束'}
                    </View>
                    <View className='flash-item__meta'>
                      每人限购 {sale.perMemberLimit} 件{sale.boughtByMe > 0 ? `，已抢 ${sale.boughtByMe} 件` : ''}
                    </View>
                  </View>
                </View>
                {attempt?.error ? <ErrorNotice id={`flash-error-${sale.saleId}`} error={attempt.error} /> : null}
                <View className='flash-item__actions'>
                  {limitReached && state !== 'soldOut' ? (
                    <Button className='btn btn--ghost btn--small' id={`flash-orders-${sale.saleId}`} onClick={() => void Taro.navigateTo({ url: routeUrl('orders') })}>
                      查看订单
                    </Button>
                  ) : null}
                  <Button
                    className={`btn ${canBuy ? 'btn--primary' : 'btn--disabled'} btn--small flash-item__buy`}
                    id={`flash-buy-${sale.saleId}`}
                    loading={flag(Boolean(attempt?.busy))}
                    disabled={flag(!canBuy)}
                    onClick={() => setAsking(sale)}
                  >
                    {label}
                  </Button>
                </View>
              </View>
            )
          })}
        </View>
      )}
      {asking && (
        <ConfirmDialog
          id='flash-confirm'
          title='确认抢购'
          confirmText='确认抢购'
          busy={Boolean(attempts[asking.saleId]?.busy)}
          confirmDisabled={!fulfil.input}
          onConfirm={() => void buy(asking)}
          onCancel={() => setAsking(null)}
        >
          <View>
            {asking.title} · {formatFen(asking.price)}
          </View>
          <View>抢到后请在 15 分钟内完成支付。</View>
          <FulfilmentSection state={fulfil} disabled={Boolean(attempts[asking.saleId]?.busy)} />
        </ConfirmDialog>
      )}
    </View>
  )
}
