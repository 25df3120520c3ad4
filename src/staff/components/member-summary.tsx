import { Text, View } from '@tarojs/components'
import type { ActionResult } from '@domain/contract'
import { MEMBER_STATUS_TEXT, formatFen, formatShanghaiTime } from '../../lib/format'
import './counter.scss'

type Verified = ActionResult<'staff', 'verifyMemberCode'>

/** What the clerk sees after scanning: who, tier, balances, tags and recent visits. */
export default function MemberSummary({ result }: { result: Verified }) {
  const { member, maskedPhone, tags, lastVisits } = result
  return (
    <View className='section verify-result' id='verify-result'>
      <View className='verify-result__head'>
        <View>
          <View className='verify-result__name' id='verify-nickname'>
            {member.nickname}
          </View>
          <View className='verify-result__no'>
            会员号 <Text id='verify-member-no'>{member.memberNo}</Text> · <Text id='verify-card-type'>{member.cardType.name}</Text>
          </View>
        </View>
        <View className='verify-result__tier' id='verify-tier'>
          {member.tier.name}
        </View>
      </View>
      <View className='verify-result__stats'>
        <View className='verify-result__stat'>
          <View className='verify-result__value' id='verify-points'>
            {member.points}
          </View>
          <View className='verify-result__label'>积分</View>
        </View>
        <View className='verify-result__stat'>
          <View className='verify-result__value' id='verify-balance'>
            {formatFen(member.balance)}
          </View>
          <View className='verify-result__label'>储值</View>
        </View>
        <View className='verify-result__stat'>
          <View className='verify-result__value' id='verify-growth'>
            {member.growth}
          </View>
          <View className='verify-result__label'>成长值</View>
        </View>
      </View>
      {member.pointsOwed > 0 && (
        <View className='list-row'>
          <View className='list-row__title'>待抵扣积分</View>
          <View className='list-row__side text-danger' id='verify-points-owed'>
            {member.pointsOwed}
          </View>
        </View>
      )}
      <View className='list-row'>
        <View className='list-row__title'>手机号</View>
        <View className='list-row__side' id='verify-phone'>
          {maskedPhone ?? '未绑定'}
        </View>
      </View>
      <View className='list-row'>
        <View className='list-row__title'>会员状态</View>
        <View className={`list-row__side ${member.status === 'active' ? 'text-success' : 'text-danger'}`} id='verify-status'>
          {MEMBER_STATUS_TEXT[member.status]}
        </View>
      </View>
      <View className='list-row'>
        <View className='list-row__title'>标签</View>
        <View className='list-row__side summary__tags' id='verify-tags'>
          {tags && tags.length > 0 ? (
            tags.map((tag) => (
              <Text className='badge summary__tag' key={tag}>
                {tag}
              </Text>
            ))
          ) : (
            <Text className='text-muted'>暂无</Text>
          )}
        </View>
      </View>
      {member.channel && (
        <View className='list-row'>
          <View className='list-row__title'>入会渠道</View>
          <View className='list-row__side'>{member.channel.name}</View>
        </View>
      )}
      <View className='list-row verify-visits' id='verify-last-visits'>
        <View className='list-row__main'>
          <View className='list-row__title'>最近到店</View>
          {lastVisits && lastVisits.length > 0 ? (
            lastVisits.map((visit, index) => (
              <View className='list-row__sub' key={`${visit.at}-${index}`}>
                {formatShanghaiTime(visit.at, 'MM-DD HH:mm')} · {visit.storeName} · 消费 {formatFen(visit.payable)}
                {visit.refunded ? <Text className='badge summary__refunded'>已退款</Text> : null}
              </View>
            ))
          ) : (
            <View className='list-row__sub'>暂无到店消费记录</View>
          )}
        </View>
      </View>
    </View>
  )
}
