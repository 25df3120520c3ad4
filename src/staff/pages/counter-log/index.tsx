import { Button, Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { ActionResult, StaffView } from '@domain/contract'
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state'
import { flag } from '../../../lib/flag'
import { COUNTER_ACTION_TEXT, formatFen, formatShanghaiTime, shanghaiDay, shiftDay } from '../../../lib/format'
import { staffService } from '../../../services/staff'
import './index.scss'

type Log = ActionResult<'staff', 'counterLog'>

const LOG_METHOD_TEXT = { cash: '现金', wechat: '微信', balance: '储值' } as const

/** The day's figures: money taken by 现金 and 微信, stored value spent, top-ups (paid and bonus apart), points net of refunds. */
function TotalsGrid({ totals }: { totals: Log['totals'] }) {
  const cells: { id: string; value: string; label: string }[] = [
    { id: 'log-cash', value: formatFen(totals.cashFen), label: '现金收款（净额）' },
    { id: 'log-wechat', value: formatFen(totals.wechatFen), label: '微信收款（净额）' },
    { id: 'log-balance', value: formatFen(totals.balanceSpentFen), label: '储值消费（净额）' },
    { id: 'log-sales', value: formatFen(totals.salesFen), label: `销售额 · ${totals.purchases} 笔` },
    { id: 'log-refunds', value: formatFen(totals.refundFen), label: `退款 · ${totals.refunds} 笔` },
    { id: 'log-topups', value: formatFen(totals.topupFen), label: `储值充值收款 · 赠送 ${formatFen(totals.topupBonusFen)}` },
    { id: 'log-points', value: String(totals.pointsIssued), label: '发放积分（扣除退款）' },
    { id: 'log-adjusted', value: `${totals.pointsAdjusted > 0 ? '+' : ''}${totals.pointsAdjusted}`, label: '积分调整' },
  ]
  return (
    <View className='log-totals__grid'>
      {cells.map((cell) => (
        <View className='log-total' key={cell.id}>
          <View className='log-total__value' id={cell.id}>
            {cell.value}
          </View>
          <View className='log-total__label'>{cell.label}</View>
        </View>
      ))}
    </View>
  )
}

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; log: Log }

/** 门店台账: one business day's counter entries and totals; managers see the whole store, clerks their own. */
export default function CounterLogPage() {
  const [day, setDay] = useState(shanghaiDay())
  const [view, setView] = useState<View>({ kind: 'loading' })
  const [staff, setStaff] = useState<StaffView | null>(null)
  const latestLoad = useRef(0)

  async function load(target: string, showSpinner = true) {
    const call = ++latestLoad.current
    if (showSpinner) setView({ kind: 'loading' })
    try {
      const log = await staffService.counterLog(target === shanghaiDay() ? undefined : target)
      if (call === latestLoad.current) setView({ kind: 'ready', log })
    } catch (error) {
      if (call === latestLoad.current) setView({ kind: 'error', error })
    }
  }

  useDidShow(() => {
    void load(day, view.kind !== 'ready')
    if (!staff) {
      staffService
        .me()
        .then(({ staff: me }) => setStaff(me))
        .catch(() => undefined)
    }
  })

  function go(days: number) {
    const next = shiftDay(day, days)
    if (next > shanghaiDay()) return
    setDay(next)
    void load(next)
  }

  const isToday = day === shanghaiDay()
  const scope = staff ? (staff.role === 'clerk' ? `${staff.name}的台账` : '全店台账') : '台账'

  return (
    <View className='page counter-log'>
      <View className='log-days'>
        <Button className='btn btn--ghost btn--small' id='log-prev-day' onClick={() => go(-1)}>
          ‹ 前一天
        </Button>
        <View className='log-days__day' id='log-day'>
          {isToday ? `今天 ${day}` : day}
        </View>
        <Button className={`btn btn--small ${isToday ? 'btn--disabled' : 'btn--ghost'}`} id='log-next-day' disabled={flag(isToday)} onClick={() => go(1)}>
          后一天 ›
        </Button>
      </View>

      {view.kind === 'loading' && <LoadingState text='正在加载台账…' />}
      {view.kind === 'error' && <ErrorState error={view.error} onRetry={() => void load(day)} />}
      {view.kind === 'ready' && (
        <>
          <View className='section log-totals' id='counter-log-totals'>
            <View className='section__title'>
              {view.log.storeName}
              <Text className='section__hint'>{scope}</Text>
            </View>
            <TotalsGrid totals={view.log.totals} />
          </View>

          {staff && staff.role !== 'clerk' && view.log.byStaff.length > 0 && (
            <View className='section' id='counter-log-by-staff'>
              <View className='section__title'>
                店员业绩
                <Text className='section__hint'>按店员合计</Text>
              </View>
              {view.log.byStaff.map((row, index) => (
                <View className='list-row log-staff' key={row.staffId} id={`log-staff-${index}`}>
                  <View className='list-row__main'>
                    <View className='list-row__title'>{row.staffName}</View>
                    <View className='list-row__sub'>
                      消费 {row.totals.purchases} 笔 · 退款 {row.totals.refunds} 笔 · 积分 {row.totals.pointsIssued}
                    </View>
                  </View>
                  <View className='list-row__side'>
                    <View id={`log-staff-sales-${index}`}>{formatFen(row.totals.salesFen - row.totals.refundFen)}</View>
                    <View className='list-row__sub'>
                      现金 {formatFen(row.totals.cashFen)} · 微信 {formatFen(row.totals.wechatFen)}
                    </View>
                  </View>
                </View>
              ))}
            </View>
          )}

          <View className='section'>
            <View className='section__title'>
              明细
              <Text className='section__hint'>{view.log.entries.length} 条</Text>
            </View>
            {view.log.entries.length === 0 ? (
              <EmptyState title={isToday ? '今天还没有台账记录' : '这一天没有台账记录'} hint='记录消费、退款、充值、积分调整和卡片服务都会记在这里' />
            ) : (
              <View id='counter-log-list'>
                {view.log.entries.map((entry) => (
                  <View className='list-row log-entry' key={entry.id}>
                    <View className='list-row__main'>
                      <View className='list-row__title'>
                        <Text className={`log-entry__action log-entry__action--${entry.action}`}>{COUNTER_ACTION_TEXT[entry.action] ?? entry.action}</Text>
                        {entry.nickname ? `${entry.nickname} · ` : ''}
                        {entry.memberNo}
                      </View>
                      <View className='list-row__sub'>
                        {formatShanghaiTime(entry.at, 'HH:mm')} · {entry.staffName}
                        {entry.note ? ` · ${entry.note}` : ''}
                      </View>
                    </View>
                    <View className='list-row__side'>
                      {entry.amount !== 0 && (
                        <View className={entry.amount < 0 ? 'text-danger' : ''}>
                          {formatFen(entry.amount)}
                          {entry.payMethod ? <Text className='log-entry__method'>{LOG_METHOD_TEXT[entry.payMethod]}</Text> : null}
                        </View>
                      )}
                      {entry.bonus > 0 && <View className='list-row__sub'>赠送 {formatFen(entry.bonus)}</View>}
                      {entry.points !== 0 && (
                        <View className='list-row__sub'>
                          {entry.points > 0 ? '+' : ''}
                          {entry.points} 积分
                        </View>
                      )}
                    </View>
                  </View>
                ))}
              </View>
            )}
          </View>
        </>
      )}
    </View>
  )
}
