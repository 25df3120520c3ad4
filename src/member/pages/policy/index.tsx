import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect } from 'react'
import { POLICY_TITLES, PRIVACY_POLICY_VERSION, type PolicyDoc } from '../../../lib/policies'
import './index.scss'

/** The texts, section by section (a brand replaces them with its own; the version goes up with each change). */
const SECTIONS: Record<PolicyDoc, { title: string; text: string }[]> = {
  charter: [
    { title: '一、入会', text: '扫描品牌二维码、关注或打开本小程序并点击「立即入会」即成为花漾美妆会员，入会免费，无需消费。' },
    { title: '二、等级与成长值', text: '消费等行为累积成长值，成长值决定会员等级（银卡、金卡、钻石）。等级每年评审一次，依当年累积的成长值保级或调整。' },
    { title: '三、积分', text: '积分可在门店消费抵扣或在积分商城兑换。积分按获得年份结算，过期规则以品牌公示为准；退款会收回相应积分。' },
    { title: '四、储值', text: '储值余额仅限本品牌门店及线上商城使用，不可提现、不可转让。充值赠送部分以活动规则为准。' },
    { title: '五、会员卡', text: '会员码每分钟刷新、一次有效，请勿截图转发。会员卡遗失可在「卡片服务」挂失，或到店由店员核实手机号后办理。' },
  ],
  privacy: [
    { title: '一、我们收集的信息', text: '入会时的微信身份标识、你填写的昵称，以及你授权的手机号、生日和收货地址；你在门店和线上的消费、积分与储值记录。' },
    { title: '二、我们如何使用', text: '用于提供会员卡、积分、储值、优惠券与订单服务，向你的专属店员展示必要的会员信息（手机号仅显示部分号码），以及在你授权后发送订阅消息。' },
    { title: '三、你的权利', text: '你可以在「个人资料」查看、修改和导出你的信息，撤回授权或申请注销账号；注销后我们将按法律规定删除或匿名化你的个人信息。' },
    { title: '四、联系我们', text: '如有疑问，可在门店咨询店员，或通过小程序内的客服入口联系我们。' },
  ],
}

export default function PolicyPage() {
  const { params } = useRouter()
  const doc: PolicyDoc = params.doc === 'privacy' ? 'privacy' : 'charter'
  useEffect(() => {
    void Taro.setNavigationBarTitle({ title: POLICY_TITLES[doc] })
  }, [doc])
  return (
    <View className='page page--white policy' id={`policy-${doc}`}>
      <View className='policy__title'>《{POLICY_TITLES[doc]}》</View>
      {doc === 'privacy' && <View className='policy__version'>版本 {PRIVACY_POLICY_VERSION}</View>}
      {SECTIONS[doc].map((section) => (
        <View key={section.title} className='policy__section'>
          <View className='policy__heading'>{section.title}</View>
          <View className='policy__text'>{section.text}</View>
        </View>
      ))}
    </View>
  )
}
