import { Button, Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { GroupCampaignView, GroupView, MemberView } from '@domain/contract'
import ConfirmDialog from '../../../components/confirm-dialog'
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../../components/page-state'
import { flag } from '../../../lib/flag'
import { GROUP_STATUS_TEXT, formatFen, formatShanghaiTime } from '../../../lib/format'
import { useIntent } from '../../../lib/use-intent'
import { routeUrl } from '../../../routes'
import { describeError, hasReason } from '../../../services/errors'
import { memberService } from '../../../services/member'
import { payOrder } from '../../../services/order-pay'
import { promoService } from '../../../services/promo'
import NotMemberState from '../../components/not-member'
import Picture from '../../components/picture'
import { FulfilmentSection } from '../../components/fulfilment-picker'
import PayMethodPicker, { type CashPayMethod } from '../../components/pay-method'
import PayPasswordField, { asksPayPassword, type PayPasswordInfo } from '../../components/pay-password-field'
import { useFulfilmentChoice } from '../../lib/use-fulfilment-choice'
import { usePaySheet } from '../../lib/use-pay-sheet'
import './index.scss'

type Tab = 'campaigns' | 'mine'

type View =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'not-member' }
  | { kind: 'campaigns'; campaigns: GroupCampaignView[]; member: MemberView; payPassword: PayPasswordInfo }
  | { kind: 'mine'; groups: GroupView[] }

type Start = { phase: 'idle' } | { phase: 'asking' | 'starting'; campaign: GroupCampaignView } | { phase: 'failed'; campaign: GroupCampaignView; error: unknown }

/** 拼团: the campaigns (发起拼团, paid by 储值 or 微信支付) and 我的拼团. */
export default function GroupBuyPage() {
  const router = useRouter()
  const [tab, setTab] = useState<Tab>(router.params.tab === 'mine' ? 'mine' : 'campaigns')
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [start, setStart] = useState<Start>({ phase: 'idle' })
  const [payMethod, setPayMethod] = useState<CashPayMethod>('balance')
  const [payPassword, setPayPassword] = useState('')
  const asking = start.phase === 'asking' || start.phase === 'starting' ? start.campaign : null
  const fulfil = useFulfilmentChoice(asking?.fulfilment ?? null)
  const intent = useIntent('group')
  const { port, sheet, alive } = usePaySheet('拼团')
  const latest = useRef(0)

  async function load(which: Tab, showSpinner: boolean) {
    const call = ++latest.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      if (which === 'campaigns') {
        const [{ campaigns }, { member, profile }] = await Promise.all([promoService.groupCampaigns(), memberService.profile()])
        if (call === latest.current) setView({ kind: 'campaigns', campaigns, member, payPassword: profile.payPassword })
      } else {
        const { groups } = await promoService.myGroups()
        if (call === latest.current) setView({ kind: 'mine', groups })
      }
    } catch (error) {
      if (call !== latest.current) return
      setView(hasReason(error, 'NOT_A_MEMBER') ? { kind: 'not-member' } : { kind: 'error', error })
    }
  }

  useDidShow(() => void load(tab, view.kind === 'loading' || view.kind === 'error'))

  function switchTab(next: Tab) {
    if (next === tab) return
    setTab(next)
    void load(next, true)
  }

  async function startGroup(campaign: GroupCampaignView) {
    const fulfilment = fulfil.input
    if (!fulfilment) return
    const password = passwordAsked(campaign) ? payPassword : undefined
    const requestId = intent.idFor(`${campaign.campaignId}|${payMethod}|${JSON.stringify(fulfilment)}|${password ?? ''}`)
    setStart({ phase: 'starting', campaign })
    let placed
    try {
      placed = await promoService.startGroup({ campaignId: campaign.campaignId, fulfilment, payMethod, requestId, ...(password ? { payPassword: password } : {}) })
      setPayPassword('')
      intent.settle()
    } catch (error) {
      if (alive.current) setStart({ phase: 'failed', campaign, error })
      setPayPassword('')
      return
    }
    try {
      const outcome = await payOrder(placed, port, { stopped: () => !alive.current })
      if (!alive.current) return
      setStart({ phase: 'idle' })
      if (outcome.kind === 'settled') {
        void Taro.navigateTo({ url: routeUrl('group', { groupId: placed.group.groupId }) })
      } else {
        // the leader pays first; until then the group waits on the order's page (15 minutes)
        void Taro.showToast({ title: outcome.kind === 'cancelled' ? '已取消支付，请在 15 分钟内完成支付' : '支付结果确认中', icon: 'none' })
        void Taro.navigateTo({ url: routeUrl('order', { orderId: placed.order.orderId }) })
      }
    } catch (error) {
      if (!alive.current) return
      setStart({ phase: 'idle' })
      void Taro.showToast({ title: describeError(error), icon: 'none' })
      void Taro.navigateTo({ url: routeUrl('order', { orderId: placed.order.orderId }) })
    }
  }

  const openGroup = (group: GroupView) => void Taro.navigateTo({ url: routeUrl('group', { groupId: group.groupId }) })
  const balance = view.kind === 'campaigns' ? view.member.balance : null
  const passwordInfo = view.kind === 'campaigns' ? view.payPassword : null
  const passwordAsked = (campaign: GroupCampaignView) => payMethod === 'balance' && asksPayPassword(passwordInfo, campaign.groupPrice)

  return (
    <View className='page group-buy-page'>
      <View className='tabs'>
        <View className={`tabs__item ${tab === 'campaigns' ? 'tabs__item--active' : ''}`} id='groups-tab-campaigns' onClick={() => switchTab('campaigns')}>
          拼团活动
        </View>
        <View className={`tabs__item ${tab === 'mine' ? 'tabs__item--active' : ''}`} id='groups-tab-mine' onClick={() => switchTab('mine')}>
          我的拼团
        </View>
      </View>

      {view.kind === 'loading' && <LoadingState text='正在加载拼团…' />}
      {view.kind === 'error' && <ErrorState error={view.error} onRetry={() => void load(tab, true)} />}
      {view.kind === 'not-member' && <NotMemberState title='成为会员后即可拼团' />}

      {view.kind === 'campaigns' && view.campaigns.length === 0 && <EmptyState title='暂时没有拼团活动' hint='敬请期待' />}
      {view.kind === 'campaigns' && view.campaigns.length > 0 && (
        <View id='campaign-list'>
          {view.campaigns.map((campaign) => {
            const failed = start.phase === 'failed' && start.campaign.campaignId === campaign.campaignId ? start.error : null
            const soldOut = campaign.stockLeft <= 0
            return (
              <View className='section campaign' key={campaign.campaignId} id={`campaign-${campaign.campaignId}`}>
                <View className='campaign__body'>
                  <View className='campaign__picture'>
                    <Picture
                      id={`campaign-picture-${campaign.campaignId}`}
                      src={campaign.image}
                      placeholder={`${campaign.groupSize}人团`}
                      imageClass='campaign__image'
                      placeholderClass='campaign__placeholder'
                    />
                  </View>
                  <View className='campaign__main'>
                    <View className='campaign__title'>{campaign.title}</View>
                    <View className='campaign__prices'>
                      <Text className='campaign__price'>{formatFen(campaign.groupPrice)}</Text>
                      <Text className='campaign__list'>{formatFen(campaign.listPrice)}</Text>
                    </View>
                    <View className='campaign__meta'>
                      {campaign.groupSize} 人成团 · {Math.round(campaign.timeLimitMinutes / 60)} 小时内拼满 · 剩余 {campaign.stockLeft} 件
                    </View>
                    <View className='campaign__meta'>活动截止 {formatShanghaiTime(campaign.endAt, 'MM-DD HH:mm')}</View>
                  </View>
                </View>
                {failed ? <ErrorNotice id={`start-error-${campaign.campaignId}`} prefix='开团失败：' error={failed} /> : null}
                <Button
                  className={`btn ${soldOut ? 'btn--disabled' : 'btn--primary'} campaign__start`}
                  id={`start-group-${campaign.campaignId}`}
                  disabled={flag(soldOut)}
                  onClick={() => setStart({ phase: 'asking', campaign })}
                >
                  {soldOut ? '已售罄' : `发起拼团 ${formatFen(campaign.groupPrice)}`}
                </Button>
              </View>
            )
          })}
        </View>
      )}

      {view.kind === 'mine' && view.groups.length === 0 && (
        <EmptyState title='还没有参加过拼团' hint='发起拼团，邀请好友一起更优惠'>
          <Button className='btn btn--primary btn--small' id='mine-go-campaigns' onClick={() => switchTab('campaigns')}>
            去看看拼团活动
          </Button>
        </EmptyState>
      )}
      {view.kind === 'mine' && view.groups.length > 0 && (
        <View className='section' id='my-groups'>
          {view.groups.map((group, index) => (
            <View className='list-row' key={group.groupId} id={`my-group-${index}`} onClick={() => openGroup(group)}>
              <View className='list-row__main'>
                <View className='list-row__title'>{group.title}</View>
                <View className='list-row__sub'>
                  {group.members.length}/{group.groupSize} 人 · {formatShanghaiTime(group.members[0]?.joinedAt ?? group.expiresAt, 'MM-DD HH:mm')}
                  {group.members.find((member) => member.isLeader) ? ` · 团长 ${group.members.find((member) => member.isLeader)?.nickname}` : ''}
                </View>
              </View>
              <View className={`list-row__side group-status--${group.status}`} id={`my-group-status-${index}`}>
                {GROUP_STATUS_TEXT[group.status]}
              </View>
              <View className='list-row__arrow'>›</View>
            </View>
          ))}
        </View>
      )}

      {asking && (
        <ConfirmDialog
          id='start-group-dialog'
          title={`发起「${asking.title}」`}
          confirmText='确认开团'
          busy={start.phase === 'starting'}
          confirmDisabled={!fulfil.input || (passwordAsked(asking) && (passwordInfo?.state !== 'set' || payPassword.length !== 6))}
          onConfirm={() => void startGroup(asking)}
          onCancel={() => setStart({ phase: 'idle' })}
        >
          <View>
            拼团价 {formatFen(asking.groupPrice)}，{asking.groupSize} 人成团；开团后 {Math.round(asking.timeLimitMinutes / 60)} 小时内未拼满将自动退款。
          </View>
          <FulfilmentSection state={fulfil} disabled={start.phase === 'starting'} />
          <View className='field'>
            <View className='field__label'>支付方式</View>
            <PayMethodPicker value={payMethod} balance={balance} amount={asking.groupPrice} onChange={setPayMethod} idPrefix='start-pay' />
          </View>
          {passwordInfo && passwordAsked(asking) ? <PayPasswordField info={passwordInfo} value={payPassword} onChange={setPayPassword} id='start-pay-password' /> : null}
        </ConfirmDialog>
      )}
      {sheet}
    </View>
  )
}
