import { View } from '@tarojs/components'
import { Button } from '../../components/button'
import Taro, { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { ActionResult } from '@domain/contract'
import LedgerList, { appendUnique, firstLedgerPage, loadMoreLedger, type Ledger } from '../../components/ledger-list'
import { EmptyState, ErrorState, LoadingState } from '../../components/page-state'
import { formatChange, formatDay } from '../../lib/format'
import { routeUrl } from '../../routes'
import { describeError, hasReason } from '../../services/errors'
import { loyaltyService } from '../../services/loyalty'
import './index.scss'
import { flag } from '../../lib/flag'

type Status = ActionResult<'loyalty', 'status'>

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'not-member' } | { kind: 'ready'; status: Status; ledger: Ledger }

const ALREADY_CHECKED_IN = '今天已经签到过了，明天再来吧'

export default function PointsPage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [checkingIn, setCheckingIn] = useState(false)
  const [checkinNote, setCheckinNote] = useState<string | null>(null)
  const latestLoad = useRef(0)

  async function load(showSpinner: boolean) {
    const call = ++latestLoad.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const [status, page] = await Promise.all([loyaltyService.status(), loyaltyService.ledger()])
      if (call !== latestLoad.current) return
      setView({ kind: 'ready', status, ledger: firstLedgerPage(page) })
      setCheckinNote(status.checkedInToday ? ALREADY_CHECKED_IN : null)
    } catch (error) {
      if (call !== latestLoad.current) return
      setView(hasReason(error, 'NOT_A_MEMBER') ? { kind: 'not-member' } : { kind: 'error', error })
    }
  }

  async function loadMore() {
    if (view.kind !== 'ready') return
    await loadMoreLedger(view.ledger, loyaltyService.ledger, (change) => setView((current) => (current.kind === 'ready' ? { ...current, ledger: change(current.ledger) } : current)))
  }

  /** One requestId per tap; automatic retries of a lost answer reuse it, so the check-in is applied once. */
  async function checkin() {
    if (view.kind !== 'ready' || checkingIn || view.status.checkedInToday) return
    const requestId = loyaltyService.newCheckinRequestId()
    setCheckingIn(true)
    setCheckinNote(null)
    try {
      const { entry, points } = await loyaltyService.checkin(requestId)
      setView((current) =>
        current.kind === 'ready'
          ? {
              ...current,
              status: { ...current.status, checkedInToday: true, points },
              ledger: { ...current.ledger, entries: appendUnique([entry], current.ledger.entries) },
            }
          : current,
      )
      setCheckinNote(`签到成功，获得 ${entry.change} 积分`)
      void Taro.showToast({ title: `${formatChange(entry.change)} 积分`, icon: 'success' })
    } catch (error) {
      if (hasReason(error, 'ALREADY_CHECKED_IN')) {
        setView((current) => (current.kind === 'ready' ? { ...current, status: { ...current.status, checkedInToday: true } } : current))
        setCheckinNote(ALREADY_CHECKED_IN)
        void Taro.showToast({ title: '今天已经签到过了', icon: 'none' })
      } else {
        setCheckinNote(`签到没有成功：${describeError(error)}`)
        void Taro.showToast({ title: describeError(error), icon: 'none' })
      }
    } finally {
      setCheckingIn(false)
    }
  }

  useDidShow(() => {
    void load(view.kind !== 'ready')
  })

  if (view.kind === 'loading') {
    return (
      <View className='page points-page'>
        <LoadingState text='正在加载积分…' />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page points-page'>
        <ErrorState error={view.error} onRetry={() => void load(true)} />
      </View>
    )
  }
  if (view.kind === 'not-member') {
    return (
      <View className='page points-page'>
        <EmptyState title='成为会员后即可签到攒积分' hint='连接即会员，免费加入，无需消费'>
          <Button className='btn btn--primary' id='points-join-button' onClick={() => void Taro.navigateTo({ url: routeUrl('join') })}>
            免费成为会员
          </Button>
        </EmptyState>
      </View>
    )
  }

  const { status, ledger } = view
  const done = status.checkedInToday

  return (
    <View className='page points-page'>
      <View className='points-hero'>
        <View className='points-hero__label'>当前积分</View>
        <View className='points-hero__value' id='points-balance'>
          {status.points}
        </View>
        {status.pointsOwed > 0 && (
          <View className='points-hero__owed' id='points-owed'>
            待抵扣积分 {status.pointsOwed}（退款收回已使用的积分，将从之后获得的积分中优先抵扣）
          </View>
        )}
        <View className='points-hero__hint'>每日签到可得 {status.checkinPoints} 积分</View>
        <Button
          className={`btn ${done ? 'btn--disabled' : 'btn--gold'} checkin-button`}
          id='checkin-button'
          disabled={flag(done || checkingIn)}
          loading={flag(checkingIn)}
          onClick={() => void checkin()}
        >
          {done ? '今日已签到' : '每日签到'}
        </Button>
        {checkinNote && (
          <View className='points-hero__note' id='checkin-note'>
            {checkinNote}
          </View>
        )}
      </View>

      {status.expiring && status.expiring.points > 0 && (
        <View className='notice points-expiring' id='points-expiring'>
          {status.expiring.points} 积分将于 {formatDay(status.expiring.at)} 过期，请尽快使用
        </View>
      )}

      <LedgerList
        title='积分明细'
        emptyTitle='还没有积分记录'
        emptyHint='签到、消费都可以获得积分'
        ledger={ledger}
        formatChange={formatChange}
        formatAmount={String}
        onMore={() => void loadMore()}
        listId='ledger-list'
        moreId='ledger-more-button'
        itemIdPrefix='ledger-item-'
      />
    </View>
  )
}
