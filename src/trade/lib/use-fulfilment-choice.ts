import { useDidShow } from '@tarojs/taro'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { AddressView, FulfilmentType } from '@domain/contract'
import { hasCode } from '../../services/errors'
import { memberService } from '../../services/member'
import { defaultChoice, fulfilmentInput, type FulfilmentChoice, type FulfilmentOptions, type FulfilmentState } from './fulfilment-choice'

async function ownAddresses(): Promise<AddressView[]> {
  try {
    return (await memberService.profile()).profile.addresses
  } catch (error) {
    // a visitor who has not joined has no address book yet
    if (hasCode(error, 'NOT_FOUND')) return []
    throw error
  }
}

const NO_CHOICE: FulfilmentChoice = { type: null, storeId: null, addressId: null }

/**
 * How the goods of a flash sale or group-buy reach the member: the stores and the member's
 * addresses are loaded once something is `offered` (a dialog opened; null while closed) and again
 * when the page is shown (back from adding an address); the choice starts at the first way, the
 * first store and the default address.
 */
export function useFulfilmentChoice(offered: readonly FulfilmentType[] | null): FulfilmentState {
  const [options, setOptions] = useState<FulfilmentOptions>({ kind: 'loading' })
  const [choice, setChoice] = useState<FulfilmentChoice>(NO_CHOICE)
  const latest = useRef(0)
  const loaded = useRef(false)
  const wanted = offered !== null
  const offeredKey = (offered ?? []).join(',')
  const ways = useMemo(() => (offeredKey ? (offeredKey.split(',') as FulfilmentType[]) : []), [offeredKey])

  async function load() {
    const call = ++latest.current
    if (!loaded.current) setOptions({ kind: 'loading' })
    try {
      const [{ stores }, addresses] = await Promise.all([memberService.stores(), ownAddresses()])
      if (call !== latest.current) return
      loaded.current = true
      setOptions({ kind: 'ready', stores, addresses })
    } catch (error) {
      if (call === latest.current) setOptions({ kind: 'error', error })
    }
  }

  useEffect(() => {
    if (wanted) void load()
  }, [wanted])
  useDidShow(() => {
    if (wanted && loaded.current) void load()
  })
  useEffect(() => {
    if (options.kind === 'ready') setChoice((current) => defaultChoice(current, ways, options.stores, options.addresses))
  }, [options, ways])

  return { offered: ways, options, choice, setChoice, input: fulfilmentInput(choice), reload: () => void load() }
}
