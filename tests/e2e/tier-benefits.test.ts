/**
 * Issue 10, item 13: the tier page lists each tier's benefits (discount, points multiplier,
 * birthday gift) and only the ways of earning growth the brand's rules give.
 */
import { settledShots, text } from '../support/browser'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack({ waitForLanding: true })
const shot = settledShots('tier')

test('each tier with its benefits, the member’s own marked; growth ways from the rules, none that gives nothing', async () => {
  const member = await stack.loginAs('member')
  await stack.open(member.page, 'member/pages/tier/index')
  await member.page.locator('#tier-benefits').waitFor()
  expect(await text(member.page, '#tier-benefit-silver')).toMatch(/银卡会员[\s\S]*入会即享[\s\S]*消费无折扣[\s\S]*积分 1 倍[\s\S]*生日礼 50 积分/)
  expect(await text(member.page, '#tier-benefit-gold')).toMatch(/金卡会员[\s\S]*成长值 1000 起[\s\S]*消费95折[\s\S]*积分 1.2 倍[\s\S]*生日礼 200 积分/)
  expect(await text(member.page, '#tier-benefit-diamond')).toMatch(/钻石会员[\s\S]*成长值 5000 起[\s\S]*消费9折[\s\S]*积分 1.5 倍/)
  expect(await member.page.locator('#tier-benefit-gold').getAttribute('class')).toContain('tier-benefit--mine')
  const ways = await text(member.page, '#tier-growth-ways')
  expect(ways).toContain('门店消费：每消费 1 元得 1 成长值')
  expect(ways).toContain('每日签到：得 1 成长值')
  // the demo rules give no growth for joining; sharing, likes, reads and reviews earn nothing any more
  expect(ways).not.toMatch(/入会：|分享|点赞|阅读|评价/)
  await member.page.locator('#tier-benefits').scrollIntoViewIfNeeded()
  await shot(member.page, '1-benefits')
  expect(member.errors).toEqual([])
})
