import { Button, Input, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { flag } from '../../lib/flag'
import './counter.scss'

const canScan = process.env.TARO_ENV === 'weapp'

/**
 * Scan (weapp) or type a code the customer shows, then submit. The page owns the value, so a
 * scan fills the field and submits in one go.
 */
export default function CodeEntry({
  idPrefix,
  scanText,
  placeholder,
  submitText,
  value,
  busy,
  onChange,
  onSubmit,
}: {
  idPrefix: string
  scanText: string
  placeholder: string
  submitText: string
  value: string
  busy: boolean
  onChange: (value: string) => void
  onSubmit: (value: string) => void
}) {
  async function scan() {
    try {
      const { result } = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] })
      onChange(result)
      onSubmit(result)
    } catch {
      // cancelled by the clerk
    }
  }

  return (
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
        value={value}
        maxlength={200}
        confirmType='done'
        onInput={(event) => onChange(event.detail.value)}
        onConfirm={() => onSubmit(value)}
      />
      <Button
        className={`btn ${canScan ? 'btn--ghost' : 'btn--primary'}`}
        id={`${idPrefix}-submit`}
        loading={flag(busy)}
        disabled={flag(busy)}
        onClick={() => onSubmit(value)}
      >
        {submitText}
      </Button>
    </View>
  )
}
