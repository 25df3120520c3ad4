import { Input, Text, View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro, { useDidShow, useUnload } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { ActionResult, TopupOption } from '@domain/contract'
import LedgerList, { firstLedgerPage, loadMoreLedger, type Ledger } from '../../../components/ledger-list'
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state'
import { flag } from '../../../lib/flag'
import { formatFen, formatTopupOffer, checkYuan } from '../../../lib/format'
import { useIntent } from '../../../lib/use-intent'
import { routeUrl } from '../../../routes'
import { describeError, hasReason } from '../../../services/errors'
import { loyaltyService } from '../../../services/loyalty'
import { SIMULATED_PAY, requestPay, type PayRequest, type PaySheet as PaySheetPort } from '../../../services/pay'
import { paymentService, type TopupStatus } from '../../../services/payment'
import PaySheet from '../../../components/pay-sheet'
import './index.scss'

type Options = ActionResult<'payment', 'topupOptions'>

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'not-member' } | { kind: 'ready'; options: Options; balance: number; ledger: Ledger }

/** Where a top-up is: creating the order, in the wallet, waiting for the server's word, or done. */
type Topup =
  | { phase: 'idle' }
  | { phase: 'creating' | 'paying' | 'confirming'; amount: number }
  | { phase: 'paid'; status: TopupStatus }
  | { phase: 'failed'; message: string }
  | { phase: 'cancelled' }
  | { phase: 'pending'; orderId: string }

type Choice = { kind: 'preset'; option: TopupOption } | { kind: 'custom' }

export default function StoredValuePage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [choice, setChoice] = useState<Choice | null>(null)
  const [customText, setCustomText] = useState('')
  const [topup, setTopup] = useState<Topup>({ phase: 'idle' })
  const [sheet, setSheet] = useState<PayRequest | null>(null)
  const sheetAnswer = useRef<((pay: boolean) => void) | null>(null)
  const alive = useRef(true)
  const latestLoad = useRef(0)
  const intent = useIntent('topup')

  useUnload(() => {
    alive.current = false
    sheetAnswer.current?.(false)
  })

  async function load(showSpinner: boolean) {
    const call = ++latestLoad.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const [options, page] = await Promise.all([paymentService.topupOptions(), loyaltyService.balanceLedger()])
      if (call !== latestLoad.current) return
      setView({
        kind: 'ready',
        options,
        balance: page.balance,
        ledger: firstLedgerPage(page),
      })
      setChoice((current) => current ?? (options.options[0] ? { kind: 'preset', option: options.options[0] } : { kind: 'custom' }))
    } catch (error) {
      if (call !== latestLoad.current) return
      setView(hasReason(error, 'NOT_A_MEMBER') ? { kind: 'not-member' } : { kind: 'error', error })
    }
  }

  /** Only the ledger and balance, after a top-up (the options do not change). */
  async function reloadLedger() {
    try {
      const page = await loyaltyService.balanceLedger()
      setView((current) => (current.kind === 'ready' ? { ...current, balance: page.balance, ledger: firstLedgerPage(page) } : current))
    } catch {
      // the top-up result already shows the new balance; the list refreshes on the next visit
    }
  }

  async function loadMore() {
    if (view.kind !== 'ready') return
    await loadMoreLedger(view.ledger, loyaltyService.balanceLedger, (change) => setView((current) => (current.kind === 'ready' ? { ...current, ledger: change(current.ledger) } : current)))
  }

  useDidShow(() => {
    void load(view.kind !== 'ready')
  })

  const paySheet: PaySheetPort = {
    ask: (request) =>
      new Promise<boolean>((resolve) => {
        sheetAnswer.current = resolve
        setSheet(request)
      }),
  }

  function answerSheet(pay: boolean) {
    const answer = sheetAnswer.current
    sheetAnswer.current = null
    setSheet(null)
    answer?.(pay)
  }

  if (view.kind === 'loading') {
    return (
      <View className='page sv-page'>
        <LoadingState text='正在加载储值…' />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page sv-page'>
        <ErrorState error={view.error} onRetry={() => void load(true)} />
      </View>
    )
  }
  if (view.kind === 'not-member') {
    return (
      <View className='page sv-page'>
        <EmptyState title='成为会员后即可储值' hint='连接即会员，免费加入'>
          <Button className='btn btn--primary' onClick={() => void Taro.navigateTo({ url: routeUrl('join') })}>
            免费成为会员
          </Button>
        </EmptyState>
      </View>
    )
  }

  const { options, balance, ledger } = view
  const { minAmount, maxAmount } = options
  const custom = checkYuan(choice?.kind === 'custom' ? customText : '', {
    min: minAmount,
    max: maxAmount,
    tooSmall: `单笔最低充值 ${formatFen(minAmount)}`,
    tooLarge: `单笔最多充值 ${formatFen(maxAmount)}`,
  })
  const amount = choice?.kind === 'preset' ? choice.option.amount : custom.fen
  const amountError = custom.problem
  const busy = topup.phase === 'creating' || topup.phase === 'paying' || topup.phase === 'confirming'
  const canPay = !busy && amount !== null && amount >= minAmount && amount <= maxAmount && !amountError

  /** One intent per amount: a retry after a lost answer reuses the order; after an outcome, a new tap is a new order. */
  async function pay() {
    if (!canPay || amount === null) return
    const requestId = intent.idFor(String(amount))
    setTopup({ phase: 'creating', amount })
    let orderId: string
    try {
      const order = await paymentService.createTopup(amount, requestId)
      orderId = order.orderId
      setTopup({ phase: 'paying', amount })
      const outcome = await requestPay({ orderId: order.orderId, amount: order.amount, payment: order.payment }, paySheet)
      intent.settle()
      if (outcome.kind === 'cancelled') {
        if (alive.current) setTopup({ phase: 'cancelled' })
        return
      }
      if (outcome.kind === 'failed') {
        // the wallet's own errMsg is not for people: the copy says what to do
        if (alive.current) setTopup({ phase: 'failed', message: '支付没有完成，请重新发起充值' })
        return
      }
    } catch (error) {
      if (alive.current) setTopup({ phase: 'failed', message: describeError(error) })
      return
    }
    if (!alive.current) return
    setTopup({ phase: 'confirming', amount })
    try {
      const status = await paymentService.waitForTopup(orderId, { stopped: () => !alive.current })
      if (!alive.current) return
      if (status.status === 'paid') {
        setTopup({ phase: 'paid', status })
        if (status.balanceAfter !== null) {
          const after = status.balanceAfter
          setView((current) => (current.kind === 'ready' ? { ...current, balance: after } : current))
        }
        void Taro.showToast({ title: '充值成功', icon: 'success' })
        void reloadLedger()
      } else if (status.status === 'failed') {
        setTopup({ phase: 'failed', message: '支付失败，钱款未扣除或将原路退回' })
      } else {
        setTopup({ phase: 'pending', orderId })
      }
    } catch (error) {
      if (alive.current) setTopup({ phase: 'failed', message: hasReason(error, 'PAYMENT_UNCONFIRMED') ? describeError(error) : `暂时无法确认支付结果：${describeError(error)}` })
    }
  }

  async function recheck(orderId: string) {
    setTopup({ phase: 'confirming', amount: amount ?? 0 })
    try {
      const status = await paymentService.topupStatus(orderId)
      if (status.status === 'paid') {
        setTopup({ phase: 'paid', status })
        void reloadLedger()
      } else if (status.status === 'failed') setTopup({ phase: 'failed', message: '支付失败，钱款未扣除或将原路退回' })
      else setTopup({ phase: 'pending', orderId })
    } catch (error) {
      setTopup({ phase: 'failed', message: describeError(error) })
    }
  }

  const payLabel =
    topup.phase === 'creating' ? '正在下单…' : topup.phase === 'paying' ? '等待支付…' : topup.phase === 'confirming' ? '正在确认到账…' : amount ? `立即充值 ${formatFen(amount)}` : '立即充值'

  return (
    <View className='page sv-page'>
      <View className='sv-hero'>
        <View className='sv-hero__label'>储值余额</View>
        <View className='sv-hero__value' id='sv-balance'>
          {formatFen(balance)}
        </View>
        <View className='sv-hero__hint'>门店消费可直接用储值支付 · 充值即时到账</View>
      </View>

      <View className='section'>
        <View className='section__title'>
          在线充值
          <Text className='section__hint'>微信支付</Text>
        </View>
        <View className='choice-group sv-options'>
          {options.options.map((option) => {
            const active = choice?.kind === 'preset' && choice.option.amount === option.amount
            return (
              <View
                key={option.amount}
                className={`choice sv-option ${active ? 'choice--active' : ''}`}
                id={`topup-option-${option.amount}`}
                onClick={() => !busy && setChoice({ kind: 'preset', option })}
              >
                <View className='sv-option__amount'>{formatFen(option.amount)}</View>
                <View className='choice__sub'>{option.bonus > 0 ? formatTopupOffer(option.amount, option.bonus) : '无赠送'}</View>
              </View>
            )
          })}
          <View className={`choice sv-option ${choice?.kind === 'custom' ? 'choice--active' : ''}`} id='topup-option-custom' onClick={() => !busy && setChoice({ kind: 'custom' })}>
            <View className='sv-option__amount'>其他金额</View>
            <View className='choice__sub'>{formatFen(minAmount)} 起</View>
          </View>
        </View>

        {choice?.kind === 'custom' && (
          <View className='field'>
            <View className='field__label'>充值金额（元）</View>
            <Input
              className='field-input field__control'
              id='topup-custom-input'
              type='digit'
              placeholder={`${formatFen(minAmount)} – ${formatFen(maxAmount)}`}
              value={customText}
              maxlength={12}
              onInput={(event) => setCustomText(event.detail.value)}
            />
            {amountError ? (
              <View className='field__error' id='topup-amount-error'>
                {amountError}
              </View>
            ) : (
              <View className='field__hint'>满足活动条件的充值赠送金额以到账为准</View>
            )}
          </View>
        )}

        <Button className={`btn ${canPay ? 'btn--primary' : 'btn--disabled'} sv-pay`} id='topup-submit' disabled={flag(!canPay)} loading={flag(busy)} onClick={() => void pay()}>
          {payLabel}
        </Button>

        {topup.phase === 'paid' && (
          <View className='notice sv-result' id='topup-result'>
            充值成功：到账 {formatFen(topup.status.amount + topup.status.bonus)}
            {topup.status.bonus > 0 ? `（含赠送 ${formatFen(topup.status.bonus)}）` : ''}
            {topup.status.balanceAfter !== null ? `，当前余额 ${formatFen(topup.status.balanceAfter)}` : ''}
          </View>
        )}
        {topup.phase === 'cancelled' && (
          <View className='notice' id='topup-result'>
            已取消支付，没有扣款
          </View>
        )}
        {topup.phase === 'failed' && (
          <View className='notice notice--error' id='topup-result'>
            {topup.message}
          </View>
        )}
        {topup.phase === 'pending' && (
          <View className='notice' id='topup-result'>
            支付结果确认中，到账后余额会自动更新。
            <Button className='btn btn--ghost btn--small sv-recheck' id='topup-recheck' onClick={() => void recheck(topup.orderId)}>
              刷新结果
            </Button>
          </View>
        )}
      </View>

      <LedgerList
        title='储值明细'
        emptyTitle='还没有储值记录'
        emptyHint='充值、储值支付和退款都会记录在这里'
        ledger={ledger}
        formatChange={(change) => `${change >= 0 ? '+' : ''}${formatFen(change)}`}
        formatAmount={formatFen}
        onMore={() => void loadMore()}
        listId='balance-ledger-list'
        moreId='balance-ledger-more'
        itemClassName='balance-ledger-item'
        tone='gold'
      />

      {SIMULATED_PAY && sheet && <PaySheet request={sheet} onAnswer={answerSheet} />}
    </View>
  )
}
