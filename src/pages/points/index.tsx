import { Button, Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { ActionResult, LedgerEntryView } from '@domain/contract'
import { EmptyState, ErrorState, LoadingState } from '../../components/page-state'
import { formatChange, formatDay, formatShanghaiTime, ledgerSourceText } from '../../lib/format'
import { routeUrl } from '../../routes'
import { describeError, hasCode } from '../../services/errors'
import { loyaltyService } from '../../services/loyalty'
import './index.scss'
import { flag } from '../../lib/flag'

type Status = ActionResult<'loyalty', 'status'>

interface Ledger {
  entries: LedgerEntryView[]
  nextBefore: number | null
  loadingMore: boolean
  moreError: unknown
}

type View =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'not-member' }
  | { kind: 'ready'; status: Status; ledger: Ledger }

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
      setView({ kind: 'ready', status, ledger: { entries: page.entries, nextBefore: page.nextBefore, loadingMore: false, moreError: null } })
      setCheckinNote(status.checkedInToday ? ALREADY_CHECKED_IN : null)
    } catch (error) {
      if (call !== latestLoad.current) return
      setView(hasCode(error, 'NOT_FOUND') ? { kind: 'not-member' } : { kind: 'error', error })
    }
  }

  async function loadMore() {
    if (view.kind !== 'ready' || view.ledger.loadingMore || view.ledger.nextBefore === null) return
    const before = view.ledger.nextBefore
    setView({ ...view, ledger: { ...view.ledger, loadingMore: true, moreError: null } })
    try {
      const page = await loyaltyService.ledger(before)
      setView((current) =>
        current.kind === 'ready'
          ? {
              ...current,
              ledger: {
                // a check-in made meanwhile is already at the top; never show an entry twice
                entries: appendUnique(current.ledger.entries, page.entries),
                nextBefore: page.nextBefore,
                loadingMore: false,
                moreError: null,
              },
            }
          : current,
      )
    } catch (error) {
      setView((current) => (current.kind === 'ready' ? { ...current, ledger: { ...current.ledger, loadingMore: false, moreError: error } } : current))
    }
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
      if (hasCode(error, 'ALREADY_EXISTS')) {
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

      <View className='section'>
        <View className='section__title'>
          积分明细
          <Text className='section__hint'>北京时间</Text>
        </View>
        {ledger.entries.length === 0 ? (
          <EmptyState title='还没有积分记录' hint='签到、消费都可以获得积分' />
        ) : (
          <View className='ledger' id='ledger-list'>
            {ledger.entries.map((entry) => (
              <View className='list-row ledger-item' key={entry.id} id={`ledger-item-${entry.id}`}>
                <View className='list-row__main'>
                  <View className='list-row__title'>
                    <Text className={`ledger-item__kind ledger-item__kind--${entry.source}`}>{ledgerSourceText(entry.source)}</Text>
                    <Text className='ledger-item__description'>{entry.description}</Text>
                  </View>
                  <View className='list-row__sub ledger-item__time'>{formatShanghaiTime(entry.createdAt)}</View>
                </View>
                <View className='list-row__side'>
                  <View className={`ledger-item__change ${entry.change >= 0 ? 'ledger-item__change--plus' : 'ledger-item__change--minus'}`}>
                    {formatChange(entry.change)}
                  </View>
                  <View className='ledger-item__after'>余额 {entry.balanceAfter}</View>
                </View>
              </View>
            ))}
          </View>
        )}
        {ledger.moreError ? (
          <View className='notice notice--error'>加载失败：{describeError(ledger.moreError)}</View>
        ) : null}
        {ledger.nextBefore !== null && (
          <Button
            className='btn btn--ghost ledger-more'
            id='ledger-more-button'
            loading={flag(ledger.loadingMore)}
            disabled={flag(ledger.loadingMore)}
            onClick={() => void loadMore()}
          >
            {ledger.moreError ? '重试' : '加载更多'}
          </Button>
        )}
        {ledger.nextBefore === null && ledger.entries.length > 0 && <View className='ledger-end'>没有更多了</View>}
      </View>
    </View>
  )
}

function appendUnique(first: LedgerEntryView[], second: LedgerEntryView[]): LedgerEntryView[] {
  const seen = new Set(first.map((entry) => entry.id))
  return [...first, ...second.filter((entry) => !seen.has(entry.id))]
}
