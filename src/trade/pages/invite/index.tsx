import { View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro, { useDidShow, useShareAppMessage, useShareTimeline } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { ActionResult, MemberView } from '@domain/contract'
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state'
import { formatShanghaiTime } from '../../../lib/format'
import { useOpenedScene } from '../../../lib/use-opened-scene'
import { routeUrl } from '../../../routes'
import { memberService } from '../../../services/member'
import { socialService } from '../../../services/social'
import SharePanel from '../../components/share-panel'
import './index.scss'

type Invites = ActionResult<'social', 'invites'>

/** The brand's bind mode in the member's words (config/social `binding`). */
const BINDING_RULE_TEXT: Record<Invites['binding']['mode'], (days: number) => string> = {
  firstTouch: () => '好友以第一次打开的邀请为准；',
  firstTouchForDays: (days) => `好友以第一次打开的邀请为准，${days} 天后打开其他人的邀请可改为新的邀请人；`,
  lastTouch: () => '好友以入会前最后一次打开的邀请为准；',
}

type View =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  /** a visitor (not a member yet) */
  | { kind: 'visitor' }
  | { kind: 'ready'; member: MemberView; code: string; invites: Invites }

const TITLE = '花漾美妆会员 · 连接即会员'

/** What the friend does, in the rules' words. */
const OUTCOME_TEXT: Record<Invites['rules'][number]['outcome'], string> = {
  joined: '通过你的邀请入会',
  couponClaimed: '领取你分享的朋友券',
  groupJoined: '通过你的邀请参加拼团',
  firstPurchase: '首次消费（门店或线上）',
  repurchase: '再次消费（复购）',
}

/** One reward rule, in full: what the friend does, what the member gets, the limits. */
function ruleText(rule: Invites['rules'][number]): string {
  const gifts = [rule.points > 0 ? `${rule.points} 积分` : '', rule.couponName ? `「${rule.couponName}」一张` : ''].filter(Boolean).join(' + ')
  const until = rule.endsAt ? `，${formatShanghaiTime(rule.endsAt, 'YYYY-MM-DD HH:mm')} 截止` : ''
  const within = rule.withinDays ? `入会 ${rule.withinDays} 天内` : ''
  const locked = rule.lockedDays !== null ? `；奖励先记为「待入账」，消费 ${rule.lockedDays} 天后无退款即到账，期间退款则取消，到账后退款将扣回` : ''
  return `${rule.name}：好友${within}${OUTCOME_TEXT[rule.outcome]}，你得 ${gifts}${locked}；同一好友只奖励一次，每天最多 ${rule.dailyCap} 次，共 ${rule.budget} 份，发完即止${until}。`
}

const FRIEND_STAGE_TEXT: Record<Invites['friends'][number]['stage'], string> = { joined: '已入会', purchased: '已消费', repurchased: '已复购' }

/** The reward's figure and what became of it. */
function rewardSide(reward: Invites['rewards']['latest'][number]): string {
  const figure = reward.points > 0 ? `+${reward.points}` : '券'
  if (reward.state === 'locked') return `${figure} 待入账`
  if (reward.state === 'cancelled') return '已取消'
  if (reward.state === 'clawedBack') return `${figure} 已扣回`
  return figure
}

/** What the friend gets by joining: the perks the join page lists, shown on the card and the landing. */
const PERKS = ['免费入会，无需消费', '到店出示会员码，积分储值一码搞定', '每日签到攒积分、兑好礼']

async function memberOrNull(): Promise<MemberView | null> {
  return (await memberService.profileOrNull())?.member ?? null
}

/**
 * 邀请有礼. The member's own page: the rules up front, 邀请好友 (the invite card, carrying their
 * share code) and 我的邀请. A friend who opens the card lands on the join page; one who opens the
 * page from Moments sees the invitation without a session (single-page mode) and is asked into the
 * mini-program; one who opens someone else's card here is taken to join.
 */
export default function InvitePage() {
  const { scene, opened, timeline } = useOpenedScene()
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [sharing, setSharing] = useState(false)
  const latest = useRef(0)
  const code = view.kind === 'ready' ? view.code : null
  const invitePath = routeUrl('join', { s: code })

  useShareAppMessage(() => ({ title: `${view.kind === 'ready' ? view.member.nickname : '好友'}邀请你加入花漾美妆会员`, path: invitePath }))
  // Moments opens this page itself in single-page mode, with the code in the query
  useShareTimeline(() => ({ title: TITLE, query: code ? `s=${code}` : '' }))

  async function load(showSpinner: boolean) {
    const call = ++latest.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const member = await memberOrNull()
      if (!member) {
        if (call === latest.current) setView({ kind: 'visitor' })
        return
      }
      const [share, invites] = await Promise.all([socialService.share({ type: 'invite' }), socialService.invites()])
      if (call === latest.current) setView({ kind: 'ready', member, code: share.code, invites })
    } catch (error) {
      if (call === latest.current) setView({ kind: 'error', error })
    }
  }

  useDidShow(() => {
    if (!timeline) void load(view.kind !== 'ready')
  })

  const someoneElses = opened?.kind === 'share' && scene !== `s.${code ?? ''}`
  const joinUrl = routeUrl('join', { s: scene?.startsWith('s.') ? scene.slice(2) : undefined })

  if (timeline || (someoneElses && view.kind !== 'ready') || view.kind === 'visitor') {
    return (
      <View className='page invite-page'>
        <View className='invite-hero' id='invite-landing'>
          <View className='invite-hero__badge'>好友邀请</View>
          <View className='invite-hero__title' id='invite-landing-title'>
            {opened?.kind === 'share' ? `${opened.from} 邀请你加入花漾美妆会员` : '好友邀请你加入花漾美妆会员'}
          </View>
          <View className='invite-hero__text'>连接即会员，免费加入，立享会员权益</View>
        </View>
        <View className='section invite-perks'>
          {PERKS.map((perk) => (
            <View key={perk} className='list-row invite-perks__item'>
              {perk}
            </View>
          ))}
        </View>
        {timeline ? (
          <View className='notice invite-timeline' id='invite-timeline-hint'>
            点击屏幕下方「前往小程序」，即可免费入会
          </View>
        ) : (
          <Button className='btn btn--primary invite-action' id='invite-join' onClick={() => void Taro.navigateTo({ url: joinUrl })}>
            立即入会
          </Button>
        )}
      </View>
    )
  }

  if (view.kind === 'loading') {
    return (
      <View className='page invite-page'>
        <LoadingState />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page invite-page'>
        <ErrorState error={view.error} onRetry={() => void load(true)} />
      </View>
    )
  }

  const { invites } = view
  return (
    <View className='page invite-page'>
      <View className='invite-hero'>
        <View className='invite-hero__badge'>邀请有礼</View>
        <View className='invite-hero__title'>邀请好友成为花漾美妆会员</View>
        <View className='invite-hero__count'>
          已邀请{' '}
          <View className='invite-hero__figure' id='invite-total'>
            {invites.total}
          </View>{' '}
          位好友
        </View>
      </View>

      <View className='section invite-rules' id='invite-rules'>
        <View className='section__title'>活动规则</View>
        <View className='invite-rules__item'>1. 好友打开你分享的邀请卡并入会，即成为你邀请的好友，显示在下方「我的邀请」。</View>
        <View className='invite-rules__item' id='invite-rule-binding'>
          2. {BINDING_RULE_TEXT[invites.binding.mode](invites.binding.days)}
          {invites.binding.newcomersOnly ? '仅限尚未入会的新朋友；' : ''}同一好友只计一次，不能邀请自己。
        </View>
        {invites.rules.map((rule, index) => (
          <View key={rule.name} className='invite-rules__item invite-rules__reward'>
            {index + 3}. {ruleText(rule)}
          </View>
        ))}
        <View className='invite-rules__item'>{invites.rules.length + 3}. 分享本身不发放任何奖励，也不必分享才能使用任何功能。</View>
      </View>

      <Button className='btn btn--primary invite-action' id='invite-share' onClick={() => setSharing(true)}>
        邀请好友
      </Button>

      {invites.rules.length > 0 || invites.rewards.latest.length > 0 ? (
        <View className='section invite-rewards' id='invite-rewards'>
          <View className='section__title'>
            我的奖励{' '}
            <View className='invite-rewards__sum' id='invite-rewards-sum'>
              已得 {invites.rewards.points} 积分{invites.rewards.locked > 0 ? ` · 待入账 ${invites.rewards.locked}` : ''}
            </View>
          </View>
          {invites.rewards.latest.length === 0 ? (
            <View className='invite-rewards__empty text-muted'>好友完成上面的条件后，奖励会自动发到你的账户</View>
          ) : (
            invites.rewards.latest.map((reward, index) => (
              <View key={`${reward.at}-${index}`} className='list-row invite-reward'>
                <View className='list-row__main'>
                  <View className='list-row__title'>{reward.description}</View>
                  <View className='list-row__sub text-muted'>
                    {reward.friend} · {formatShanghaiTime(reward.at, 'MM-DD HH:mm')}
                    {reward.until ? ` · ${formatShanghaiTime(reward.until, 'MM-DD')} 到账` : ''}
                  </View>
                </View>
                <View className={`list-row__side invite-reward__points invite-reward__points--${reward.state}`}>{rewardSide(reward)}</View>
              </View>
            ))
          )}
        </View>
      ) : null}

      <View className='section invite-friends'>
        <View className='section__title'>我的邀请</View>
        {invites.friends.length === 0 ? (
          <EmptyState title='还没有好友通过你的邀请入会' hint='把邀请卡发给好友，好友入会后会显示在这里' />
        ) : (
          invites.friends.map((friend, index) => (
            <View key={`${friend.joinedAt}-${index}`} className='list-row invite-friend'>
              <View className='list-row__main'>
                <View className='list-row__title invite-friend__name'>{friend.nickname}</View>
                <View className='list-row__sub text-muted'>{formatShanghaiTime(friend.joinedAt, 'YYYY-MM-DD')} 入会</View>
              </View>
              <View className={`list-row__side invite-friend__stage invite-friend__stage--${friend.stage}`}>{FRIEND_STAGE_TEXT[friend.stage]}</View>
            </View>
          ))
        )}
        {invites.total > invites.friends.length && <View className='invite-friends__more text-muted'>仅显示最近 {invites.friends.length} 位</View>}
      </View>

      {sharing && (
        <SharePanel id='invite-share-panel' title='把邀请卡发给好友' path={invitePath} onClose={() => setSharing(false)}>
          <View className='invite-card'>
            <View className='invite-card__title'>{view.member.nickname} 邀请你加入花漾美妆会员</View>
            <View className='invite-card__text'>{PERKS.join(' · ')}</View>
          </View>
        </SharePanel>
      )}
    </View>
  )
}
