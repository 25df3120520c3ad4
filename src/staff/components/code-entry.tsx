import { Input, View } from '@tarojs/components'
import { Button } from '../../components/button'
import Taro from '@tarojs/taro'
import { useState, type ReactNode } from 'react'
import { EmptyState, ErrorNotice } from '../../components/page-state'
import { flag } from '../../lib/flag'
import { scanCodeFrom, typedCode } from '../../lib/format'
import { useIntent } from '../../lib/use-intent'
import './counter.scss'

const canScan = process.env.TARO_ENV === 'weapp'

type View<T> = { kind: 'idle' } | { kind: 'submitting' } | { kind: 'failed'; error: unknown } | { kind: 'done'; result: T }

/**
 * A counter page that takes a code the customer shows (提货码, 券码): scan it (weapp) or type it,
 * submit it once, then show the result or the error. A scan fills the field and submits in one go.
 * One requestId per code: 重试 after a lost answer applies it once. Ids are `<idPrefix>-scan`,
 * `-input`, `-submit` and `-error`; the page renders the result and its own 下一个 button.
 */
export default function CodeEntry<T>({
  idPrefix,
  intentPrefix,
  scanText,
  placeholder,
  submitText,
  incompleteText,
  idleTitle,
  idleHint,
  errorPrefix,
  submit,
  renderResult,
}: {
  idPrefix: string
  /** the requestId prefix (services/intent.ts) */
  intentPrefix: string
  scanText: string
  placeholder: string
  submitText: string
  /** the toast for a code that is too short */
  incompleteText: string
  idleTitle: string
  idleHint: string
  errorPrefix: string
  submit: (code: string, requestId: string) => Promise<T>
  /** the result block; `next` clears the field for the next customer */
  renderResult: (result: T, next: () => void) => ReactNode
}) {
  const [input, setInput] = useState('')
  const [view, setView] = useState<View<T>>({ kind: 'idle' })
  const intent = useIntent(intentPrefix)
  const busy = view.kind === 'submitting'

  async function send(raw: string) {
    const code = scanCodeFrom(raw)
    if (!code) {
      void Taro.showToast({ title: incompleteText, icon: 'none' })
      return
    }
    if (busy) return
    setView({ kind: 'submitting' })
    try {
      const result = await submit(code, intent.idFor(code))
      intent.settle()
      setView({ kind: 'done', result })
    } catch (error) {
      setView({ kind: 'failed', error })
    }
  }

  function next() {
    setInput('')
    setView({ kind: 'idle' })
  }

  async function scan() {
    try {
      const { result } = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode', 'barCode'] })
      setInput(result)
      void send(result)
    } catch {
      // cancelled by the clerk
    }
  }

  return (
    <>
      <View className='section code-entry'>
        {canScan && (
          <Button className='btn btn--primary code-entry__scan' id={`${idPrefix}-scan`} disabled={flag(busy)} onClick={() => void scan()}>
            {scanText}
          </Button>
        )}
        <View className='code-entry__label'>{canScan ? '或手动输入' : '输入顾客出示的码'}</View>
        <Input
          className='field-input code-entry__input'
          id={`${idPrefix}-input`}
          placeholder={placeholder}
          value={input}
          maxlength={32}
          confirmType='done'
          onInput={(event) => setInput(typedCode(event.detail.value))}
          onConfirm={() => void send(input)}
        />
        <Button className={`btn ${canScan ? 'btn--ghost' : 'btn--primary'}`} id={`${idPrefix}-submit`} loading={flag(busy)} disabled={flag(busy)} onClick={() => void send(input)}>
          {submitText}
        </Button>
      </View>

      {view.kind === 'idle' && <EmptyState title={idleTitle} hint={idleHint} />}
      {view.kind === 'failed' && <ErrorNotice id={`${idPrefix}-error`} prefix={errorPrefix} error={view.error} />}
      {view.kind === 'done' && renderResult(view.result, next)}
    </>
  )
}
