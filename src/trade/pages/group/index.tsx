import { Text, View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro, { useDidHide, useDidShow, useRouter, useShareAppMessage, useUnload } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { GroupView, MemberView } from '@domain/contract'
import ConfirmDialog from '../../../components/confirm-dialog'
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../../components/page-state'
import { flag } from '../../../lib/flag'
import { GROUP_STATUS_TEXT, formatCountdown, formatFen, formatShanghaiTime } from '../../../lib/format'
import { useIntent } from '../../../lib/use-intent'
import { useNow } from '../../../lib/use-now'
import { routeParam, routeUrl } from '../../../routes'
import { useOpenedScene } from '../../../lib/use-opened-scene'
import { useShareCode } from '../../../lib/use-share-code'
import { describeError, hasCode } from '../../../services/errors'
import { memberService } from '../../../services/member'
import { payOrder } from '../../../services/order-pay'
import { promoService } from '../../../services/promo'
import { FulfilmentSection } from '../../components/fulfilment-picker'
import PayMethodPicker, { type CashPayMethod } from '../../components/pay-method'
import Picture from '../../components/picture'
import PayPasswordField, { asksPayPassword, type PayPasswordInfo } from '../../components/pay-password-field'
import { useFulfilmentChoice } from '../../lib/use-fulfilment-choice'
import SharePanel from '../../components/share-panel'
import { usePaySheet } from '../../lib/use-pay-sheet'
import './index.scss'

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'gone'; error: unknown } | { kind: 'ready'; group: GroupView; member: MemberView | null }

type Join = { phase: 'idle' } | { phase: 'asking' } | { phase: 'joining-member' | 'joining' } | { phase: 'failed'; error: unknown } | { phase: 'note'; text: string }

/** While the group is open and on screen, read it again this often (friends join on their own phones). */
const POLL_MS = 5000

async function memberOrNull(): Promise<{ member: MemberView; payPassword: PayPasswordInfo } | null> {
  const found = await memberService.profileOrNull()
  return found && { member: found.member, payPassword: found.profile.payPassword }
}

/**
 * 拼团 page (also what a friend opens from a share): who is in, seats left, the countdown, and the
 * status 拼团中 / 拼团成功 / 拼团失败（已退款）. A friend 参团 (joining the brand first if needed);
 * a participant 邀请好友 with the share card.
 */
export default function GroupPage() {
  const groupId = routeParam(useRouter().params, 'groupId')
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [join, setJoin] = useState<Join>({ phase: 'idle' })
  const [payMethod, setPayMethod] = useState<CashPayMethod>('balance')
  const [payPasswordInfo, setPayPasswordInfo] = useState<PayPasswordInfo | null>(null)
  const [payPassword, setPayPassword] = useState('')
  const [sharing, setSharing] = useState(false)
  const intent = useIntent('gjoin')
  const { port, sheet, alive } = usePaySheet('拼团')
  const latest = useRef(0)
  const visible = useRef(true)
  const group = view.kind === 'ready' ? view.group : null
  const open = group?.status === 'open'
  const now = useNow(Boolean(open))
  const joinAsked = join.phase === 'asking' || join.phase === 'joining' || join.phase === 'joining-member'
  const fulfil = useFulfilmentChoice(joinAsked && group ? group.fulfilment : null)
  useOpenedScene()
  const shareCode = useShareCode(view.kind === 'ready' && view.member ? { type: 'group', id: groupId } : null)

  useShareAppMessage(() => {
    const seats = group ? Math.max(0, group.groupSize - group.members.length) : 0
    return {
      title: group ? `还差 ${seats} 人，快来和我一起拼「${group.title}」` : '花漾美妆 · 拼团',
      path: routeUrl('group', { groupId, s: shareCode }),
    }
  })

  const load = useCallback(
    async (showSpinner: boolean) => {
      if (!groupId) return
      const call = ++latest.current
      if (showSpinner) setView({ kind: 'loading' })
      try {
        const [{ group: fresh }, mine] = await Promise.all([promoService.group(groupId), memberOrNull()])
        if (call !== latest.current) return
        setView({ kind: 'ready', group: fresh, member: mine?.member ?? null })
        setPayPasswordInfo(mine?.payPassword ?? null)
      } catch (error) {
        if (call !== latest.current) return
        setView(hasCode(error, 'NOT_FOUND') ? { kind: 'gone', error } : { kind: 'error', error })
      }
    },
    [groupId],
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

  useEffect(() => {
    if (!open) return undefined
    const timer = setInterval(() => {
      if (visible.current) void load(false)
    }, POLL_MS)
    return () => clearInterval(timer)
  }, [open, load])

  const expiredOnScreen = Boolean(open && group && new Date(group.expiresAt).getTime() <= now)
  useEffect(() => {
    if (expiredOnScreen) void load(false)
  }, [expiredOnScreen, load])

  if (!groupId) {
    return (
      <View className='page group-page'>
        <EmptyState title='链接不完整，请让好友重新分享' />
      </View>
    )
  }
  if (view.kind === 'loading') {
    return (
      <View className='page group-page'>
        <LoadingState text='正在加载拼团…' />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page group-page'>
        <ErrorState error={view.error} onRetry={() => void load(true)} />
      </View>
    )
  }
  if (view.kind === 'gone' || !group) {
    return (
      <View className='page group-page'>
        <EmptyState title={view.kind === 'gone' ? describeError(view.error) : '未找到该拼团'} hint='去看看正在进行的拼团活动'>
          <Button className='btn btn--primary btn--small' onClick={() => void Taro.redirectTo({ url: routeUrl('groupBuy') })}>
            拼团活动
          </Button>
        </EmptyState>
      </View>
    )
  }

  const current = group
  const member = view.member
  const seatsLeft = Math.max(0, current.groupSize - current.members.length)
  const busy = join.phase === 'joining' || join.phase === 'joining-member'
  const canJoin = current.status === 'open' && !current.joinedByMe && seatsLeft > 0

  const passwordAsked = payMethod === 'balance' && asksPayPassword(payPasswordInfo, current.groupPrice)

  async function joinGroup() {
    const fulfilment = fulfil.input
    if (busy || !fulfilment) return
    const password = passwordAsked ? payPassword : undefined
    const requestId = intent.idFor(`${current.groupId}|${payMethod}|${JSON.stringify(fulfilment)}|${password ?? ''}`)
    try {
      if (!member) {
        setJoin({ phase: 'joining-member' })
        const { member: joined } = await memberService.join({})
        setView((prev) => (prev.kind === 'ready' ? { ...prev, member: joined } : prev))
      }
      setJoin({ phase: 'joining' })
      const placed = await promoService.joinGroup({ groupId: current.groupId, fulfilment, payMethod, requestId, ...(password ? { payPassword: password } : {}) })
      intent.settle()
      setPayPassword('')
      setView((prev) => (prev.kind === 'ready' ? { ...prev, group: placed.group } : prev))
      const outcome = await payOrder(placed, port, { stopped: () => !alive.current })
      if (!alive.current) return
      if (outcome.kind === 'settled') {
        setJoin({ phase: 'idle' })
        void Taro.showToast({ title: '参团成功', icon: 'success' })
        void load(false)
      } else if (outcome.kind === 'cancelled') {
        setJoin({ phase: 'note', text: '已取消支付。座位为你保留到支付截止，请到订单中完成支付。' })
      } else {
        setJoin({ phase: 'note', text: outcome.kind === 'failed' ? outcome.message : '支付结果确认中，请稍后刷新' })
      }
    } catch (error) {
      if (!alive.current) return
      if (hasCode(error, 'NOT_FOUND') && !member) setView((prev) => (prev.kind === 'ready' ? { ...prev, member: null } : prev))
      setPayPassword('')
      setJoin({ phase: 'failed', error })
      void load(false)
    }
  }

  const untilExpiry = new Date(current.expiresAt).getTime() - now
  const seats = Array.from({ length: current.groupSize }, (_, index) => current.members[index] ?? null)

  return (
    <View className='page group-page'>
      <View className={`group-hero group-hero--${current.status}`}>
        <View className='group-hero__picture'>
          <Picture id='group-picture' src={current.image} placeholder={`${current.groupSize}人团`} imageClass='group-hero__image' placeholderClass='group-hero__placeholder' />
        </View>
        <View className='group-hero__title' id='group-title'>
          {current.title}
        </View>
        <View className='group-hero__price' id='group-price'>
          拼团价 {formatFen(current.groupPrice)} <Text className='group-hero__list'>{formatFen(current.listPrice)}</Text>
        </View>
        <View className='group-hero__status' id='group-status'>
          {GROUP_STATUS_TEXT[current.status]}
        </View>
        {current.status === 'open' ? (
          <>
            <View className='group-hero__seats' id='group-seats-left'>
              还差 {seatsLeft} 人成团
            </View>
            <View className='group-hero__countdown' id='group-countdown'>
              {untilExpiry > 0 ? `剩余 ${formatCountdown(untilExpiry)}` : '已到截止时间'}
            </View>
          </>
        ) : (
          <View className='group-hero__seats' id='group-result'>
            {current.status === 'success' ? `${current.groupSize} 人已拼满，拼团成功` : '未在时限内拼满，已支付的款项原路退回'}
          </View>
        )}
      </View>

      <View className='section'>
        <View className='section__title'>
          参团成员
          <View className='section__hint'>
            {current.members.length}/{current.groupSize}
          </View>
        </View>
        <View className='group-seats' id='group-members'>
          {seats.map((seat, index) => (
            <View className={`group-seat ${seat ? '' : 'group-seat--empty'}`} key={index} id={`group-seat-${index}`}>
              <View className='group-seat__avatar'>{seat ? seat.nickname.slice(0, 1) : '?'}</View>
              <View className='group-seat__name'>{seat ? seat.nickname : '待加入'}</View>
              {seat?.isLeader ? <View className='group-seat__leader'>团长</View> : null}
            </View>
          ))}
        </View>
        <View className='group-deadline'>截止时间 {formatShanghaiTime(current.expiresAt, 'YYYY-MM-DD HH:mm')}</View>
      </View>

      {join.phase === 'failed' ? <ErrorNotice id='group-join-error' error={join.error} /> : null}
      {join.phase === 'note' ? (
        <View className='notice' id='group-join-note'>
          {join.text}
        </View>
      ) : null}

      {canJoin ? (
        member ? (
          <Button className='btn btn--primary group-action' id='group-join' loading={flag(busy)} disabled={flag(busy)} onClick={() => setJoin({ phase: 'asking' })}>
            {join.phase === 'failed' ? '重试参团' : '立即参团'}
          </Button>
        ) : (
          <View>
            <View className='group-join-hint'>你还不是花漾美妆会员，免费入会后即可参团</View>
            <Button className='btn btn--gold group-action' id='group-join' loading={flag(busy)} disabled={flag(busy)} onClick={() => setJoin({ phase: 'asking' })}>
              立即入会并参团
            </Button>
          </View>
        )
      ) : null}

      {current.joinedByMe && current.status === 'open' ? (
        <Button className='btn btn--primary group-action' id='group-share' onClick={() => setSharing(true)}>
          邀请好友参团
        </Button>
      ) : null}
      {current.joinedByMe ? (
        <Button className='btn btn--ghost group-action' id='group-orders' onClick={() => void Taro.navigateTo({ url: routeUrl('orders', {}) })}>
          查看我的订单
        </Button>
      ) : null}
      <Button className='btn btn--ghost group-action' id='group-more' onClick={() => void Taro.navigateTo({ url: routeUrl('groupBuy') })}>
        更多拼团活动
      </Button>

      {(join.phase === 'asking' || busy) && (
        <ConfirmDialog
          id='group-join-dialog'
          title={member ? '确认参团' : '入会并参团'}
          confirmText='确认支付'
          busy={busy}
          confirmDisabled={!fulfil.input || (passwordAsked && (payPasswordInfo?.state !== 'set' || payPassword.length !== 6))}
          onConfirm={() => void joinGroup()}
          onCancel={() => setJoin({ phase: 'idle' })}
        >
          <View>
            {current.title} · {formatFen(current.groupPrice)}
          </View>
          {!member ? <View>将先为你免费开通花漾美妆会员。</View> : null}
          <FulfilmentSection state={fulfil} disabled={busy} />
          <View className='field'>
            <View className='field__label'>支付方式</View>
            <PayMethodPicker value={payMethod} balance={member?.balance ?? null} amount={current.groupPrice} onChange={setPayMethod} idPrefix='group-pay' />
          </View>
          {payPasswordInfo && passwordAsked ? <PayPasswordField info={payPasswordInfo} value={payPassword} onChange={setPayPassword} id='group-pay-password' /> : null}
        </ConfirmDialog>
      )}

      {sharing ? (
        <SharePanel id='group-share-panel' title='邀请好友参团' path={routeUrl('group', { groupId })} onClose={() => setSharing(false)}>
          <View className='group-share__card'>
            <View className='group-share__title'>{current.title}</View>
            <View className='group-share__text'>
              还差 {seatsLeft} 人，{untilExpiry > 0 ? `${formatCountdown(untilExpiry)} 后截止` : '即将截止'}
            </View>
          </View>
        </SharePanel>
      ) : null}
      {sheet}
    </View>
  )
}
