import { Text, View } from '@tarojs/components'
import { Button } from '../button'
import type { LedgerEntryView } from '@domain/contract'
import { flag } from '../../lib/flag'
import { formatShanghaiTime, ledgerSourceText } from '../../lib/format'
import { describeError } from '../../services/errors'
import { EmptyState } from '../page-state'
import './index.scss'

/** A paged ledger as a page holds it: the entries so far and where the next page starts. */
export interface Ledger {
  entries: LedgerEntryView[]
  nextBefore: number | null
  loadingMore: boolean
  moreError: unknown
}

export interface LedgerPage {
  entries: LedgerEntryView[]
  nextBefore: number | null
}

export function firstLedgerPage(page: LedgerPage): Ledger {
  return { entries: page.entries, nextBefore: page.nextBefore, loadingMore: false, moreError: null }
}

/** `first`, then the entries of `second` not already in it. */
export function appendUnique(first: LedgerEntryView[], second: LedgerEntryView[]): LedgerEntryView[] {
  const seen = new Set(first.map((entry) => entry.id))
  return [...first, ...second.filter((entry) => !seen.has(entry.id))]
}

/**
 * 加载更多: fetches the page after `ledger` and hands each step to `update` (which applies it to
 * the page's current ledger, if there still is one). Does nothing while loading or at the end.
 */
export async function loadMoreLedger(ledger: Ledger, fetchPage: (before: number) => Promise<LedgerPage>, update: (change: (current: Ledger) => Ledger) => void): Promise<void> {
  if (ledger.loadingMore || ledger.nextBefore === null) return
  const before = ledger.nextBefore
  update((current) => ({ ...current, loadingMore: true, moreError: null }))
  try {
    const page = await fetchPage(before)
    update((current) => ({
      // an entry added meanwhile (a check-in) is already at the top; never show an entry twice
      entries: appendUnique(current.entries, page.entries),
      nextBefore: page.nextBefore,
      loadingMore: false,
      moreError: null,
    }))
  } catch (error) {
    update((current) => ({ ...current, loadingMore: false, moreError: error }))
  }
}

/**
 * The 明细 section: one row per entry (source, description, time, change, balance after), then
 * 加载更多 / 重试 or 没有更多了. `formatChange` and `formatAmount` say whether the figures are
 * points or fen; the ids are the page's own, so each page keeps its selectors.
 */
export default function LedgerList({
  title,
  emptyTitle,
  emptyHint,
  ledger,
  formatChange,
  formatAmount,
  onMore,
  listId,
  moreId,
  itemClassName,
  itemIdPrefix,
  tone = 'rose',
}: {
  title: string
  emptyTitle: string
  emptyHint: string
  ledger: Ledger
  /** the signed change, e.g. `+10` or `+¥500.00` */
  formatChange: (change: number) => string
  /** the balance after the entry */
  formatAmount: (amount: number) => string
  onMore: () => void
  listId: string
  moreId: string
  /** an extra class on each row */
  itemClassName?: string
  /** each row gets the id `<itemIdPrefix><entry id>` */
  itemIdPrefix?: string
  /** the source badge: rose (points) or gold (stored value) */
  tone?: 'rose' | 'gold'
}) {
  return (
    <View className='section'>
      <View className='section__title'>
        {title}
        <Text className='section__hint'>北京时间</Text>
      </View>
      {ledger.entries.length === 0 ? (
        <EmptyState title={emptyTitle} hint={emptyHint} />
      ) : (
        <View className={tone === 'gold' ? 'ledger ledger--gold' : 'ledger'} id={listId}>
          {ledger.entries.map((entry) => (
            <View
              className={itemClassName ? `list-row ledger-item ${itemClassName}` : 'list-row ledger-item'}
              key={entry.id}
              id={itemIdPrefix === undefined ? undefined : `${itemIdPrefix}${entry.id}`}
            >
              <View className='list-row__main'>
                <View className='list-row__title'>
                  <Text className={`ledger-item__kind ledger-item__kind--${entry.source}`}>{ledgerSourceText(entry.source)}</Text>
                  <Text className='ledger-item__description'>{entry.description}</Text>
                </View>
                <View className='list-row__sub ledger-item__time'>{formatShanghaiTime(entry.createdAt)}</View>
              </View>
              <View className='list-row__side'>
                <View className={`ledger-item__change ${entry.change >= 0 ? 'ledger-item__change--plus' : 'ledger-item__change--minus'}`}>{formatChange(entry.change)}</View>
                <View className='ledger-item__after'>余额 {formatAmount(entry.balanceAfter)}</View>
              </View>
            </View>
          ))}
        </View>
      )}
      {ledger.moreError ? <View className='notice notice--error'>加载失败：{describeError(ledger.moreError)}</View> : null}
      {ledger.nextBefore !== null && (
        <Button className='btn btn--ghost ledger-more' id={moreId} loading={flag(ledger.loadingMore)} disabled={flag(ledger.loadingMore)} onClick={onMore}>
          {ledger.moreError ? '重试' : '加载更多'}
        </Button>
      )}
      {ledger.nextBefore === null && ledger.entries.length > 0 && <View className='ledger-end'>没有更多了</View>}
    </View>
  )
}
