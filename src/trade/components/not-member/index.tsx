import { Button } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { EmptyState } from '../../../components/page-state'
import { routeUrl } from '../../../routes'

/** For a visitor who has not joined yet (the server answered NOT_FOUND for the member). */
export default function NotMemberState({ title, hint = '连接即会员，免费加入' }: { title: string; hint?: string }) {
  return (
    <EmptyState title={title} hint={hint}>
      <Button className='btn btn--primary' id='not-member-join' onClick={() => void Taro.navigateTo({ url: routeUrl('join') })}>
        免费成为会员
      </Button>
    </EmptyState>
  )
}
