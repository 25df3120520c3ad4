import { Text, View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro, { useDidShow, useRouter, useShareAppMessage } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { AddressView, MemberView, ProductView, StoreView } from '@domain/contract'
import ConfirmDialog from '../../../components/confirm-dialog'
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../../components/page-state'
import { flag } from '../../../lib/flag'
import { formatFen, formatPointsPrice } from '../../../lib/format'
import { useIntent } from '../../../lib/use-intent'
import { useOpenedScene } from '../../../lib/use-opened-scene'
import { useShareCode } from '../../../lib/use-share-code'
import { routeParam, routeUrl } from '../../../routes'
import { describeError, hasCode } from '../../../services/errors'
import { mallService } from '../../../services/mall'
import { memberService } from '../../../services/member'
import { payOrder } from '../../../services/order-pay'
import FulfilmentPicker from '../../components/fulfilment-picker'
import { defaultChoice, fulfilmentInput, fulfilmentLine, type FulfilmentChoice } from '../../lib/fulfilment-choice'
import PayMethodPicker, { type CashPayMethod } from '../../components/pay-method'
import PayPasswordField, { asksPayPassword, type PayPasswordInfo } from '../../components/pay-password-field'
import Picture from '../../components/picture'
import { usePaySheet } from '../../lib/use-pay-sheet'
import './index.scss'

type Profile = { member: MemberView; addresses: AddressView[]; payPassword: PayPasswordInfo }

type View =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'gone'; error: unknown }
  /** profile is null for a visitor who has not joined; stores are those offered for 门店自提 */
  | { kind: 'ready'; product: ProductView; profile: Profile | null; stores: StoreView[] }

type Exchange = { phase: 'idle' } | { phase: 'asking' } | { phase: 'submitting' | 'paying' } | { phase: 'failed'; error: unknown }

/** The most an exchange may take in one go: the product's limit, the stock and the contract's 10. */
function maxQuantity(product: ProductView): number {
  return Math.max(1, Math.min(product.perMemberLimit, product.stock, 10))
}

async function profileOrNull(): Promise<Profile | null> {
  const found = await memberService.profileOrNull()
  return found && { member: found.member, addresses: found.profile.addresses, payPassword: found.profile.payPassword }
}

/**
 * 商品详情 and 积分兑换: quantity, 门店自提 (a store) or 快递配送 (one of the member's addresses),
 * and for a points + cash product 储值 or 微信支付. The exchange lands on the order's page.
 */
export default function ProductPage() {
  const productId = routeParam(useRouter().params, 'productId')
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [quantity, setQuantity] = useState(1)
  const [choice, setChoice] = useState<FulfilmentChoice>({ type: null, storeId: null, addressId: null })
  const [payMethod, setPayMethod] = useState<CashPayMethod>('balance')
  const [payPassword, setPayPassword] = useState('')
  const [exchange, setExchange] = useState<Exchange>({ phase: 'idle' })
  const intent = useIntent('exchange')
  const { port, sheet, alive } = usePaySheet('积分商城')
  const latest = useRef(0)
  useOpenedScene()
  const shareCode = useShareCode(view.kind === 'ready' && view.profile ? { type: 'product', id: productId } : null)
  useShareAppMessage(() => ({ title: view.kind === 'ready' ? `${view.product.name} · 花漾美妆积分商城` : '花漾美妆 · 积分商城', path: routeUrl('product', { productId, s: shareCode }) }))

  async function load(showSpinner: boolean) {
    if (!productId) return
    const call = ++latest.current
    if (showSpinner) setView({ kind: 'loading' })
    // the store list is asked for at once, but only a product offering 门店自提 fails without it
    const storesCall = memberService.stores().then(({ stores }) => stores)
    storesCall.catch(() => undefined)
    try {
      const [{ product }, profile] = await Promise.all([mallService.product(productId), profileOrNull()])
      const stores = product.kind === 'goods' && product.fulfilment.includes('pickup') ? await storesCall : []
      if (call !== latest.current) return
      setView({ kind: 'ready', product, profile, stores })
      setQuantity((current) => Math.min(current, maxQuantity(product)))
      setChoice((current) => defaultChoice(current, product.kind === 'goods' ? product.fulfilment : [], stores, profile?.addresses ?? []))
    } catch (error) {
      if (call !== latest.current) return
      const gone = hasCode(error, 'NOT_FOUND') || hasCode(error, 'PERMISSION_DENIED')
      setView(gone ? { kind: 'gone', error } : { kind: 'error', error })
    }
  }

  // back from adding an address: read the profile again
  useDidShow(() => void load(view.kind !== 'ready'))

  if (!productId) {
    return (
      <View className='page product-page'>
        <EmptyState title='没有找到这个商品' />
      </View>
    )
  }
  if (view.kind === 'loading') {
    return (
      <View className='page product-page'>
        <LoadingState text='正在加载商品…' />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page product-page'>
        <ErrorState error={view.error} onRetry={() => void load(true)} />
      </View>
    )
  }
  if (view.kind === 'gone') {
    return (
      <View className='page product-page'>
        <EmptyState title={describeError(view.error)} hint='去积分商城看看其他好礼'>
          <Button className='btn btn--primary btn--small' onClick={() => void Taro.redirectTo({ url: routeUrl('mall') })}>
            返回积分商城
          </Button>
        </EmptyState>
      </View>
    )
  }

  const { product, profile, stores } = view
  const isGoods = product.kind === 'goods'
  const max = maxQuantity(product)
  const totalPoints = product.points * quantity
  const totalAmount = product.amount * quantity
  const member = profile?.member ?? null
  const addresses = profile?.addresses ?? []
  const fulfilment = isGoods ? fulfilmentInput(choice) : null
  const shortOfPoints = member !== null && member.points < totalPoints
  const busy = exchange.phase === 'submitting' || exchange.phase === 'paying'
  const soldOut = product.stock <= 0
  const passwordAsked = product.amount > 0 && payMethod === 'balance' && asksPayPassword(profile?.payPassword ?? null, totalAmount)
  const ready = member !== null && !soldOut && !shortOfPoints && (!isGoods || fulfilment !== null) && !busy

  async function submit() {
    if (!ready) return
    const method = product.amount > 0 ? payMethod : undefined
    const password = passwordAsked ? payPassword : undefined
    const requestId = intent.idFor(`${product.productId}|${quantity}|${JSON.stringify(fulfilment)}|${method ?? ''}|${password ?? ''}`)
    setExchange({ phase: 'submitting' })
    let placed
    try {
      placed = await mallService.exchange({
        productId: product.productId,
        quantity,
        requestId,
        ...(fulfilment ? { fulfilment } : {}),
        ...(method ? { payMethod: method } : {}),
        ...(password ? { payPassword: password } : {}),
      })
      intent.settle()
      setPayPassword('')
    } catch (error) {
      setPayPassword('')
      if (alive.current) setExchange({ phase: 'failed', error })
      return
    }
    // the order exists from here on: whatever the wallet says, its page shows where it stands
    let toast = '兑换成功'
    try {
      if (placed.payment) {
        setExchange({ phase: 'paying' })
        const outcome = await payOrder(placed, port, { stopped: () => !alive.current })
        toast = outcome.kind === 'settled' ? '兑换成功' : outcome.kind === 'cancelled' ? '已取消支付，可在订单中继续支付' : outcome.kind === 'failed' ? '支付没有完成' : '支付结果确认中'
      }
    } catch (error) {
      toast = describeError(error)
    }
    if (!alive.current) return
    setExchange({ phase: 'idle' })
    void Taro.showToast({ title: toast, icon: toast === '兑换成功' ? 'success' : 'none' })
    void Taro.redirectTo({ url: routeUrl('order', { orderId: placed.order.orderId }) })
  }

  return (
    <View className='page product-page'>
      <View className='product-picture'>
        <Picture
          id='product-picture'
          src={product.image}
          placeholder={product.kind === 'coupon' ? '券' : product.name.slice(0, 2)}
          imageClass='product-picture__image'
          placeholderClass='product-picture__placeholder'
        />
      </View>

      <View className='section product-info'>
        <View className='product-info__name' id='product-name'>
          {product.name}
        </View>
        <View className='product-info__price' id='product-price'>
          {formatPointsPrice(product.points, product.amount)}
        </View>
        <View className='product-info__meta'>
          <Text>库存 {product.stock}</Text>
          <Text>每人限兑 {product.perMemberLimit} 件</Text>
          <Text>{product.category}</Text>
        </View>
        {product.description ? <View className='product-info__desc'>{product.description}</View> : null}
      </View>

      {member ? (
        <View className='section product-form'>
          <View className='list-row'>
            <View className='list-row__title'>我的积分</View>
            <View className='list-row__side' id='product-my-points'>
              {member.points}
            </View>
          </View>

          <View className='field'>
            <View className='field__label'>兑换数量</View>
            <View className='stepper'>
              <View className={`stepper__button ${quantity <= 1 ? 'stepper__button--off' : ''}`} id='qty-minus' onClick={() => !busy && setQuantity((n) => Math.max(1, n - 1))}>
                −
              </View>
              <View className='stepper__value' id='qty-value'>
                {quantity}
              </View>
              <View className={`stepper__button ${quantity >= max ? 'stepper__button--off' : ''}`} id='qty-plus' onClick={() => !busy && setQuantity((n) => Math.min(max, n + 1))}>
                +
              </View>
            </View>
          </View>

          {isGoods && <FulfilmentPicker offered={product.fulfilment} stores={stores} addresses={addresses} value={choice} onChange={setChoice} disabled={busy} />}

          {product.amount > 0 && (
            <View className='field'>
              <View className='field__label'>现金部分支付方式</View>
              <PayMethodPicker value={payMethod} balance={member.balance} amount={totalAmount} onChange={(method) => !busy && setPayMethod(method)} />
            </View>
          )}

          <View className='product-total'>
            合计{' '}
            <Text className='product-total__value' id='product-total'>
              {formatPointsPrice(totalPoints, totalAmount)}
            </Text>
          </View>
          {shortOfPoints && (
            <View className='field__error' id='product-short'>
              积分不足：需要 {totalPoints} 积分，当前 {member.points} 积分
            </View>
          )}
          {exchange.phase === 'failed' ? <ErrorNotice id='exchange-error' error={exchange.error} /> : null}
          <Button
            className={`btn ${ready ? 'btn--primary' : 'btn--disabled'} product-submit`}
            id='exchange-submit'
            loading={flag(busy)}
            disabled={flag(!ready)}
            onClick={() => setExchange({ phase: 'asking' })}
          >
            {soldOut ? '已兑完' : exchange.phase === 'paying' ? '等待支付…' : exchange.phase === 'failed' ? '重试兑换' : '立即兑换'}
          </Button>
        </View>
      ) : (
        <View className='section'>
          <EmptyState title='成为会员后即可兑换' hint='连接即会员，免费加入'>
            <Button className='btn btn--primary' id='product-join' onClick={() => void Taro.navigateTo({ url: routeUrl('join') })}>
              免费成为会员
            </Button>
          </EmptyState>
        </View>
      )}

      {exchange.phase === 'asking' && (
        <ConfirmDialog
          id='exchange-confirm'
          title='确认兑换？'
          confirmText='确认兑换'
          confirmDisabled={passwordAsked && (profile?.payPassword.state !== 'set' || payPassword.length !== 6)}
          onConfirm={() => void submit()}
          onCancel={() => setExchange({ phase: 'idle' })}
        >
          <View>
            {product.name} × {quantity}
          </View>
          <View>
            将使用 {totalPoints} 积分{totalAmount > 0 ? `，另付 ${formatFen(totalAmount)}（${payMethod === 'balance' ? '储值支付' : '微信支付'}）` : ''}
          </View>
          {isGoods ? <View>{fulfilmentLine(choice, stores, addresses)}</View> : <View>兑换后放入「我的优惠券」</View>}
          {profile && passwordAsked ? <PayPasswordField info={profile.payPassword} value={payPassword} onChange={setPayPassword} id='exchange-pay-password' /> : null}
        </ConfirmDialog>
      )}
      {sheet}
    </View>
  )
}
