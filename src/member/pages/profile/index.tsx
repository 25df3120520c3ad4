import { Button, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { MemberView, ProfileView } from '@domain/contract'
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state'
import { routeUrl } from '../../../routes'
import { hasReason } from '../../../services/errors'
import { memberService } from '../../../services/member'
import AddressSection from '../../components/profile/address-section'
import BasicSection from '../../components/profile/basic-section'
import PayPasswordSection from '../../components/profile/pay-password-section'
import PhoneSection from '../../components/profile/phone-section'
import PrivacySection from '../../components/profile/privacy-section'
import './index.scss'

type View =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'not-member' }
  /** `revision` remounts the basic form when a fresh profile arrives, so it starts from the saved values */
  | { kind: 'ready'; member: MemberView; profile: ProfileView; revision: number }

export default function ProfilePage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  const latestLoad = useRef(0)

  async function load() {
    const call = ++latestLoad.current
    setView({ kind: 'loading' })
    try {
      const { member, profile } = await memberService.profile()
      if (call === latestLoad.current) setView({ kind: 'ready', member, profile, revision: call })
    } catch (error) {
      if (call !== latestLoad.current) return
      setView(hasReason(error, 'NOT_A_MEMBER') ? { kind: 'not-member' } : { kind: 'error', error })
    }
  }

  useDidShow(() => {
    // once: coming back from a system sheet (date picker, phone authorisation) must not wipe edits
    if (view.kind !== 'ready') void load()
  })

  const saved = (profile: ProfileView) => setView((current) => (current.kind === 'ready' ? { ...current, profile, revision: current.revision + 1 } : current))

  if (view.kind === 'loading') {
    return (
      <View className='page profile-page'>
        <LoadingState />
      </View>
    )
  }
  if (view.kind === 'error') {
    return (
      <View className='page profile-page'>
        <ErrorState error={view.error} onRetry={() => void load()} />
      </View>
    )
  }
  if (view.kind === 'not-member') {
    return (
      <View className='page profile-page'>
        <EmptyState title='成为会员后即可完善资料' hint='连接即会员，免费加入'>
          <Button className='btn btn--primary' onClick={() => void Taro.navigateTo({ url: routeUrl('join') })}>
            免费成为会员
          </Button>
        </EmptyState>
      </View>
    )
  }

  const { member, profile, revision } = view

  return (
    <View className='page profile-page'>
      <View className='profile-head'>
        <View className='profile-head__name' id='profile-nickname'>
          {profile.nickname}
        </View>
        <View className='profile-head__sub'>
          会员号 {member.memberNo} · {member.tier.name}
        </View>
      </View>
      <BasicSection key={`basic-${revision}`} profile={profile} onSaved={saved} />
      <PhoneSection profile={profile} onSaved={saved} />
      <PayPasswordSection profile={profile} onSaved={saved} />
      <AddressSection addresses={profile.addresses} onChanged={(addresses) => saved({ ...profile, addresses })} />
      <PrivacySection key={`privacy-${revision}`} profile={profile} onSaved={saved} />
    </View>
  )
}
