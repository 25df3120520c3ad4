import { View } from '@tarojs/components'
import { Button } from '../../../components/button'
import Taro, { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { CouponTemplateView } from '@domain/contract'
import { EmptyState, ErrorNotice, ErrorState, LoadingState } from '../../../components/page-state'
import { couponSummary, usableInText } from '../../../lib/coupon-text'
import { flag } from '../../../lib/flag'
import { routeUrl } from '../../../routes'
import { hasReason } from '../../../services/errors'
import { couponService } from '../../../services/coupon'
import { createIntent, type Intent } from '../../../services/intent'
import CouponTicket from '../../components/coupon-ticket'
import NotMemberState from '../../components/not-member'
import './index.scss'

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'not-member' } | { kind: 'ready'; templates: CouponTemplateView[] }

/** What happened to the last claim of each template: in flight, claimed, or refused (server message). */
type ClaimState = { busy: boolean; error: unknown; claimed: boolean }

/** 领券中心: the coupons this member may claim now; 领取 claims one copy (one requestId per tap, reused on retry). */
export default function CouponCentrePage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [claims, setClaims] = useState<Record<string, ClaimState>>({})
  const intents = useRef(new Map<string, Intent>())
  const latest = useRef(0)

  async function load(showSpinner: boolean) {
    const call = ++latest.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const { templates } = await couponService.centre()
      if (call === latest.current) setView({ kind: 'ready', templates })
    } catch (error) {
      if (call !== latest.current) return
      setView(hasReason(error, 'NOT_A_MEMBER') ? { kind: 'not-member' } : { kind: 'error', error })
    }
  }

  useDidShow(() => void load(view.kind !== 'ready'))

  function intentFor(templateId: string): Intent {
    let intent = intents.current.get(templateId)
    if (!intent) {
      intent = createIntent('claim')
      intents.current.set(templateId, intent)
    }
    return intent
  }

  async function claim(template: CouponTemplateView) {
    if (claims[template.templateId]?.busy) return
    const intent = intentFor(template.templateId)
    const requestId = intent.idFor(`${template.templateId}|${template.claimedByMe}`)
    setClaims((current) => ({ ...current, [template.templateId]: { busy: true, error: null, claimed: false } }))
    try {
      await couponService.claim(template.templateId, requestId)
      intent.settle()
      setClaims((current) => ({ ...current, [template.templateId]: { busy: false, error: null, claimed: true } }))
      setView((current) =>
        current.kind === 'ready'
          ? {
              ...current,
              templates: current.templates.map((item) =>
                item.templateId === template.templateId ? { ...item, claimedByMe: item.claimedByMe + 1, remaining: item.remaining === null ? null : Math.max(0, item.remaining - 1) } : item,
              ),
            }
          : current,
      )
      void Taro.showToast({ title: '领取成功', icon: 'success' })
    } catch (error) {
      setClaims((current) => ({ ...current, [template.templateId]: { busy: false, error, claimed: false } }))
    }
  }

  if (view.kind === 'loading') {
    return (
      <View className='page coupon-centre'>
        <LoadingState text='正在加载优惠券…' />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page coupon-centre'>
        <ErrorState error={view.error} onRetry={() => void load(true)} />
      </View>
    )
  }
  if (view.kind === 'not-member') {
    return (
      <View className='page coupon-centre'>
        <NotMemberState title='成为会员后即可领券' />
      </View>
    )
  }

  const goWallet = () => void Taro.navigateTo({ url: routeUrl('couponWallet') })

  return (
    <View className='page coupon-centre'>
      <View className='coupon-centre__head'>
        <View className='coupon-centre__title'>会员专享优惠券</View>
        <View className='coupon-centre__wallet' id='centre-wallet-entry' onClick={goWallet}>
          我的优惠券 ›
        </View>
      </View>
      {view.templates.length === 0 ? (
        <EmptyState title='暂时没有可领取的优惠券' hint='新券上架后会第一时间出现在这里' />
      ) : (
        <View id='coupon-centre-list'>
          {view.templates.map((template) => {
            const state = claims[template.templateId]
            const full = template.claimedByMe >= template.perMemberLimit
            const gone = template.remaining === 0
            return (
              <CouponTicket
                key={template.templateId}
                id={`template-${template.templateId}`}
                coupon={template}
                badge={template.isFriendCoupon ? '朋友券' : undefined}
                muted={gone && !full}
                notice={state?.error ? <ErrorNotice id={`claim-error-${template.templateId}`} error={state.error} /> : null}
                lines={[
                  couponSummary(template),
                  `${template.validityText} · ${usableInText(template.usableIn)}`,
                  `每人限领 ${template.perMemberLimit} 张${template.claimedByMe > 0 ? `，已领 ${template.claimedByMe} 张` : ''}${template.remaining !== null && template.remaining <= 100 ? ` · 仅剩 ${template.remaining} 张` : ''}`,
                  template.isFriendCoupon ? '领取后可分享给好友，好友也能领一张' : '',
                ]}
              >
                {full ? (
                  <Button className='btn btn--ghost btn--small' id={`claimed-${template.templateId}`} onClick={goWallet}>
                    已领取 · 去使用
                  </Button>
                ) : (
                  <Button
                    className={`btn ${gone ? 'btn--disabled' : 'btn--primary'} btn--small`}
                    id={`claim-${template.templateId}`}
                    loading={flag(Boolean(state?.busy))}
                    disabled={flag(gone || Boolean(state?.busy))}
                    onClick={() => void claim(template)}
                  >
                    {gone ? '已领完' : state?.error ? '重试' : '立即领取'}
                  </Button>
                )}
              </CouponTicket>
            )
          })}
        </View>
      )}
    </View>
  )
}
