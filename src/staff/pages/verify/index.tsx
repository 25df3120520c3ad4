import { Button, Input, Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import type { ActionResult, PurchaseReceipt, RefundReceipt, StaffView, TopupReceipt } from '@domain/contract'
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state'
import { flag } from '../../../lib/flag'
import { MEMBER_STATUS_TEXT, formatFen, formatShanghaiTime, scanCodeFrom, typedCode } from '../../../lib/format'
import { staffService } from '../../../services/staff'
import AdjustPanel from '../../components/adjust-panel'
import MemberSummary from '../../components/member-summary'
import PurchasePanel from '../../components/purchase-panel'
import ReceiptView from '../../components/receipt-view'
import TopupPanel from '../../components/topup-panel'
import { endCounterSession, keepCounterSession, liveCounterToken } from '../../lib/counter-session'
import { markRefunded, readRecentPurchases, rememberPurchase, type RecentPurchase } from '../../lib/recent-purchases'
import './index.scss'

type Verified = ActionResult<'staff', 'verifyMemberCode'>
type Adjusted = ActionResult<'staff', 'adjustPoints'>
type Panel = 'purchase' | 'topup' | 'adjust'

/** What the last counter action produced, shown instead of the panels until the clerk moves on. */
type Outcome = { kind: 'receipt'; receipt: PurchaseReceipt } | { kind: 'topup'; topup: TopupReceipt } | { kind: 'adjust'; result: Adjusted }

type View = { kind: 'idle' } | { kind: 'loading' } | { kind: 'error'; error: unknown; code: string } | { kind: 'result'; result: Verified; panel: Panel; outcome: Outcome | null }

const canScan = process.env.TARO_ENV === 'weapp'

const PANEL_TEXT: Record<Panel, string> = { purchase: '记录消费', topup: '储值充值', adjust: '积分调整' }

/** Managers (and head office) may adjust points; the server checks the role as well. */
function canAdjust(staff: StaffView | null): boolean {
  return staff?.role === 'manager' || staff?.role === 'admin'
}

export default function StaffVerifyPage() {
  const [view, setView] = useState<View>({ kind: 'idle' })
  const [input, setInput] = useState('')
  const [staff, setStaff] = useState<StaffView | null>(null)
  const [adjustPointsMax, setAdjustPointsMax] = useState<number | null>(null)
  const [recent, setRecent] = useState<RecentPurchase[]>([])
  const [openRecent, setOpenRecent] = useState<RecentPurchase | null>(null)

  // a reload while the member is still at the counter: the same member, read afresh, under the same token
  useEffect(() => {
    const counterToken = liveCounterToken()
    if (!counterToken) return
    setView({ kind: 'loading' })
    staffService
      .resumeCounter(counterToken)
      .then((result) => setView((current) => (current.kind === 'loading' ? { kind: 'result', result, panel: 'purchase', outcome: null } : current)))
      .catch(() => {
        endCounterSession()
        setView((current) => (current.kind === 'loading' ? { kind: 'idle' } : current))
      })
  }, [])

  useDidShow(() => {
    setRecent(readRecentPurchases())
    if (!staff) {
      staffService
        .me()
        .then(({ staff: me, adjustPointsMax: cap }) => {
          setStaff(me)
          setAdjustPointsMax(cap)
        })
        .catch(() => setStaff(null))
    }
  })

  async function verify(raw: string) {
    const code = scanCodeFrom(raw)
    if (!code) {
      void Taro.showToast({ title: '会员码是 18 位数字，请核对', icon: 'none' })
      return
    }
    // a new customer: the one before is no longer kept for a reload
    endCounterSession()
    setView({ kind: 'loading' })
    setOpenRecent(null)
    try {
      const result = await staffService.verifyMemberCode(code)
      keepCounterSession(result.counterToken, result.counterTokenExpiresAt)
      setView({ kind: 'result', result, panel: 'purchase', outcome: null })
    } catch (error) {
      setView({ kind: 'error', error, code })
    }
  }

  async function scan() {
    try {
      const { result } = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode', 'barCode'] })
      setInput(result)
      void verify(result)
    } catch {
      // cancelled by the clerk: nothing to do
    }
  }

  /** Keep the summary in step with what the server answered after each action (the member's figures and 最近到店). */
  function patchMember(patch: (member: Verified['member']) => Verified['member'], outcome: Outcome, visits?: (visits: Verified['lastVisits']) => Verified['lastVisits']) {
    setView((current) =>
      current.kind === 'result'
        ? { ...current, result: { ...current.result, member: patch(current.result.member), lastVisits: visits ? visits(current.result.lastVisits) : current.result.lastVisits }, outcome }
        : current,
    )
  }

  function onRefunded(refund: RefundReceipt, outcome: Outcome) {
    setRecent(markRefunded(refund.purchaseId))
    patchMember(
      (member) => ({ ...member, points: refund.pointsAfter, pointsOwed: refund.pointsOwedAfter, balance: refund.balanceAfter, growth: refund.growthAfter }),
      outcome,
      (visits) => visits.map((visit) => (visit.purchaseId === refund.purchaseId ? { ...visit, refunded: true } : visit)),
    )
  }

  function onReceipt(receipt: PurchaseReceipt) {
    setRecent(rememberPurchase(receipt))
    patchMember(
      (member) => ({
        ...member,
        points: receipt.pointsAfter,
        balance: receipt.balanceAfter,
        growth: member.growth + receipt.growthEarned,
        tier: receipt.tierAfter !== member.tier.name ? { ...member.tier, name: receipt.tierAfter } : member.tier,
      }),
      { kind: 'receipt', receipt },
      (visits) => [{ purchaseId: receipt.purchaseId, at: receipt.createdAt, storeName: receipt.storeName, payable: receipt.payable, refunded: false }, ...visits].slice(0, 3),
    )
  }

  function nextCustomer() {
    endCounterSession()
    setInput('')
    setView({ kind: 'idle' })
  }

  return (
    <View className='page staff-verify'>
      <View className='section verify-form'>
        {canScan && (
          <Button className='btn btn--primary verify-scan' id='verify-scan-button' onClick={() => void scan()}>
            扫描会员码
          </Button>
        )}
        <View className='verify-form__label'>{canScan ? '或手动输入会员码' : '输入会员码'}</View>
        <Input
          className='field-input verify-form__input'
          id='verify-code-input'
          placeholder='会员码下方的 18 位数字'
          value={input}
          maxlength={32}
          confirmType='search'
          onInput={(event) => setInput(typedCode(event.detail.value))}
          onConfirm={() => void verify(input)}
        />
        <Button className={`btn ${canScan ? 'btn--ghost' : 'btn--primary'} verify-submit`} id='verify-submit-button' disabled={flag(view.kind === 'loading')} onClick={() => void verify(input)}>
          查询
        </Button>
      </View>

      {view.kind === 'idle' && !openRecent && <EmptyState title='请扫描或输入顾客出示的会员码' hint='会员码每分钟更新一次，请让顾客当场出示' />}
      {view.kind === 'loading' && <LoadingState text='正在查询会员…' />}
      {view.kind === 'error' && <ErrorState error={view.error} onRetry={() => void verify(view.code)} />}

      {view.kind === 'result' && (
        <>
          <MemberSummary result={view.result} />
          {view.outcome ? (
            <OutcomeView outcome={view.outcome} onRefunded={(refund) => onRefunded(refund, view.outcome as Outcome)} onBack={() => setView({ ...view, outcome: null })} onNext={nextCustomer} />
          ) : view.result.member.status !== 'active' ? (
            <View className='notice notice--error' id='counter-blocked'>
              会员卡{MEMBER_STATUS_TEXT[view.result.member.status]}，暂不能积分、消费或充值。可在「卡片服务」核验手机号后办理。
            </View>
          ) : (
            <View className='section counter-actions'>
              <View className='choice-group counter-tabs'>
                {(['purchase', 'topup', 'adjust'] as Panel[])
                  .filter((panel) => panel !== 'adjust' || canAdjust(staff))
                  .map((panel) => (
                    <View key={panel} className={`choice ${view.panel === panel ? 'choice--active' : ''}`} id={`action-${panel}`} onClick={() => setView({ ...view, panel })}>
                      {PANEL_TEXT[panel]}
                    </View>
                  ))}
              </View>
              {view.panel === 'purchase' && <PurchasePanel counterToken={view.result.counterToken} member={view.result.member} onReceipt={onReceipt} />}
              {view.panel === 'topup' && (
                <TopupPanel counterToken={view.result.counterToken} onDone={(topup) => patchMember((member) => ({ ...member, balance: topup.balanceAfter }), { kind: 'topup', topup })} />
              )}
              {view.panel === 'adjust' && canAdjust(staff) && (
                <AdjustPanel
                  counterToken={view.result.counterToken}
                  member={view.result.member}
                  maxPoints={adjustPointsMax}
                  onDone={(result) => patchMember((member) => ({ ...member, points: result.pointsAfter, pointsOwed: result.pointsOwedAfter }), { kind: 'adjust', result })}
                />
              )}
            </View>
          )}
        </>
      )}

      {openRecent ? (
        <View className='section recent-open'>
          <ReceiptView receipt={openRecent.receipt} refunded={openRecent.refunded} onRefunded={(refund) => setRecent(markRefunded(refund.purchaseId))} />
          <Button className='btn btn--ghost counter-panel__submit' id='recent-close' onClick={() => setOpenRecent(null)}>
            返回
          </Button>
        </View>
      ) : (
        view.kind !== 'result' &&
        view.kind !== 'loading' &&
        recent.length > 0 && (
          <View className='section' id='recent-purchases'>
            <View className='section__title'>
              今日本机消费
              <Text className='section__hint'>点选可查看小票或退款</Text>
            </View>
            {recent.map((item, index) => (
              <View className='list-row recent-item' key={item.receipt.purchaseId} id={`recent-purchase-${index}`} onClick={() => setOpenRecent(item)}>
                <View className='list-row__main'>
                  <View className='list-row__title'>
                    {item.receipt.nickname} · {item.receipt.memberNo}
                  </View>
                  <View className='list-row__sub'>{formatShanghaiTime(item.receipt.createdAt, 'HH:mm')}</View>
                </View>
                <View className={`list-row__side ${item.refunded ? 'recent-item__refunded' : ''}`}>{formatFen(item.receipt.payable)}</View>
                <View className='list-row__side text-muted'>{item.refunded ? '已退款' : '退款 ›'}</View>
              </View>
            ))}
          </View>
        )
      )}
    </View>
  )
}

function OutcomeView({ outcome, onRefunded, onBack, onNext }: { outcome: Outcome; onRefunded: Parameters<typeof ReceiptView>[0]['onRefunded']; onBack: () => void; onNext: () => void }) {
  return (
    <View className='outcome'>
      {outcome.kind === 'receipt' && <ReceiptView receipt={outcome.receipt} onRefunded={onRefunded} />}
      {outcome.kind === 'topup' && (
        <View className='receipt' id='counter-topup-receipt'>
          <View className='receipt__head'>
            <View className='receipt__title'>充值成功</View>
            <View className='receipt__payable' id='counter-topup-total'>
              {formatFen(outcome.topup.amount + outcome.topup.bonus)}
            </View>
            <View className='receipt__meta'>{formatShanghaiTime(outcome.topup.createdAt, 'YYYY-MM-DD HH:mm:ss')}</View>
          </View>
          <View className='list-row'>
            <View className='list-row__title'>充值金额</View>
            <View className='list-row__side'>{formatFen(outcome.topup.amount)}</View>
          </View>
          <View className='list-row'>
            <View className='list-row__title'>赠送</View>
            <View className='list-row__side receipt__earned' id='counter-topup-bonus-result'>
              {formatFen(outcome.topup.bonus)}
            </View>
          </View>
          <View className='list-row'>
            <View className='list-row__title'>储值余额</View>
            <View className='list-row__side' id='counter-topup-balance'>
              {formatFen(outcome.topup.balanceAfter)}
            </View>
          </View>
        </View>
      )}
      {outcome.kind === 'adjust' && (
        <View className='receipt' id='adjust-result'>
          <View className='receipt__head'>
            <View className='receipt__title'>积分已调整</View>
            <View className='receipt__payable'>
              {outcome.result.change > 0 ? '+' : ''}
              {outcome.result.change}
            </View>
          </View>
          <View className='list-row'>
            <View className='list-row__title'>积分余额</View>
            <View className='list-row__side'>{outcome.result.pointsAfter}</View>
          </View>
          <View className='list-row'>
            <View className='list-row__title'>待抵扣积分</View>
            <View className='list-row__side'>{outcome.result.pointsOwedAfter}</View>
          </View>
        </View>
      )}
      <View className='btn-row'>
        <Button className='btn btn--ghost' id='outcome-back' onClick={onBack}>
          继续为该会员服务
        </Button>
        <Button className='btn btn--primary' id='next-customer' onClick={onNext}>
          接待下一位
        </Button>
      </View>
    </View>
  )
}
