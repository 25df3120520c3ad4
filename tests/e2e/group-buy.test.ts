/**
 * 拼团 end to end, three phones: 林小雨 starts a 3-person group (氨基酸洁面 3 人团, ¥69.00) to pick
 * up at 上海静安嘉里中心店 and pays by 储值 after a clerk top-up; she shares the group page; two new
 * visitors each 入会, get a clerk top-up, open the shared link and 参团 paying by 储值 — the first
 * has it delivered, adding her address from the dialog; the group reads 拼团成功 on all three, and
 * each order says how its goods come (待自提 / 待发货), never before the group is formed.
 */
import { DEMO_CLERK_OPENID, DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { openidOf, settledShots, text, waitForText } from '../support/browser'
import { callerFor, requestId } from '../support/functions'
import { useBrowserStack, type Phone } from '../support/stack'

const CAMPAIGN_ID = 'gb-cleanser-3'

const stack = useBrowserStack({ waitForLanding: true })
const { loginAs, open } = stack
const shot = settledShots('group-buy')

/** 储值充值 at the counter by clerk 李晓梅 (cash): the member shows a fresh code, the clerk scans and tops up. */
async function clerkTopup(openid: string, amount: number): Promise<number> {
  const { code } = await callerFor(stack.emulator.adminUrl, openid).ok('member', 'card', {})
  const clerk = callerFor(stack.emulator.adminUrl, DEMO_CLERK_OPENID)
  const { counterToken } = await clerk.ok('staff', 'verifyMemberCode', { code })
  const { topup } = await clerk.ok('staff', 'topup', { counterToken, amount, payMethod: 'cash', requestId: requestId() })
  return topup.balanceAfter
}

/** A new visitor joins (入会) on the join page, then gets ¥100.00 of stored value at the counter. */
async function visitorWithBalance(nickname: string): Promise<Phone> {
  const visitor = await loginAs('visitor')
  await visitor.page.locator('#join-nickname input').fill(nickname)
  await visitor.page.locator('#join-button').click()
  await visitor.page.locator('#member-card').waitFor()
  expect(await text(visitor.page, '#card-name')).toBe(nickname)
  expect(await clerkTopup(await openidOf(visitor.page), 10_000)).toBe(10_000)
  return visitor
}

/** In the open dialog: 快递配送, with no address yet → 去添加收货地址 on the profile page → back, the new address chosen. */
async function deliverToNewAddress(friend: Phone, name: string) {
  await friend.page.locator('#fulfil-delivery').click()
  await friend.page.locator('#fulfil-no-address').waitFor()
  expect(await friend.page.locator('#group-join-dialog-ok').getAttribute('class')).toContain('btn--disabled')
  await shot(friend.page, `${name}-2-no-address`)
  await friend.page.locator('#fulfil-add-address').click()
  await friend.page.locator('#address-add').click()
  await friend.page.locator('#address-name input').fill('周小美')
  await friend.page.locator('#address-phone input').fill('13900139000')
  await friend.page.locator('#address-region input').fill('上海市 徐汇区')
  await friend.page.locator('#address-detail input').fill('虹桥路 1 号')
  await friend.page.locator('#address-save').click()
  await friend.page.locator('#address-list').waitFor()
  await friend.page.goBack()
  // back on the group page, the dialog still open: the address book is read again and the new address taken
  await friend.page.locator('#group-join-dialog .fulfilment-address.choice--active').waitFor()
  expect(await text(friend.page, '#group-join-dialog')).toContain('上海市 徐汇区 虹桥路 1 号')
}

/** Opens the shared group link, 参团 paying by 储值 (to pick up at the first store, or delivered to a new address). */
async function joinByLink(friend: Phone, link: string, name: string, way: 'pickup' | 'delivery') {
  await friend.page.goto(link)
  await friend.page.locator('#group-join').waitFor()
  expect(await text(friend.page, '#group-status')).toBe('拼团中')
  expect(await text(friend.page, '#group-price')).toContain('¥69.00')
  await shot(friend.page, `${name}-1-group-before-join`)
  await friend.page.locator('#group-join').click()
  await friend.page.locator('#group-join-dialog').waitFor()
  await friend.page.locator('#fulfil-pickup.choice--active').waitFor()
  if (way === 'delivery') await deliverToNewAddress(friend, name)
  await friend.page.locator('#group-pay-balance').click()
  expect(await text(friend.page, '#group-pay-balance')).toContain('余额 ¥100.00')
  await shot(friend.page, `${name}-3-join-dialog`)
  await friend.page.locator('#group-join-dialog-ok').click()
  await friend.page.locator('#group-join-dialog').waitFor({ state: 'detached' })
  await friend.page.waitForFunction(() => !document.querySelector('#group-join'))
}

test('a 3-person group started and paid by 储值, joined by two new members through the shared link, reads 拼团成功 for all', async () => {
  expect(await clerkTopup(DEMO_MEMBER_OPENID, 10_000)).toBe(10_000)

  const leader = await loginAs('member')
  await leader.page.locator('#card-trade-entry').click()
  await leader.page.locator('#hub-group-buy').click()
  await leader.page.locator(`#start-group-${CAMPAIGN_ID}`).waitFor()
  expect(await text(leader.page, `#campaign-${CAMPAIGN_ID}`)).toContain('3 人成团')
  await shot(leader.page, 'leader-1-campaigns')
  await leader.page.locator(`#start-group-${CAMPAIGN_ID}`).click()
  await leader.page.locator('#start-group-dialog').waitFor()
  // 领取方式: 门店自提 at the first store unless she picks another
  await leader.page.locator('#store-s-jingan.choice--active').waitFor()
  expect(await leader.page.locator('#fulfil-pickup').getAttribute('class')).toContain('choice--active')
  expect(await text(leader.page, '#fulfil-delivery')).toBe('快递配送')
  await leader.page.locator('#start-pay-balance').click()
  expect(await text(leader.page, '#start-pay-balance')).toContain('余额 ¥100.00')
  await shot(leader.page, 'leader-2-start-dialog')
  await leader.page.locator('#start-group-dialog-ok').click()

  await leader.page.locator('#group-status').waitFor()
  expect(await text(leader.page, '#group-status')).toBe('拼团中')
  await leader.page.locator('#group-picture[data-state="loaded"]').waitFor() // the campaign's picture, from cloud storage
  expect(await text(leader.page, '#group-seats-left')).toBe('还差 2 人成团')
  expect(await text(leader.page, '#group-countdown')).toMatch(/剩余 (1天 )?\d\d:\d\d:\d\d/)
  expect(await text(leader.page, '#group-seat-0')).toContain('林小雨')
  expect(await text(leader.page, '#group-seat-0')).toContain('团长')
  await shot(leader.page, 'leader-3-group-open')

  await leader.page.locator('#group-share').click()
  await leader.page.locator('#group-share-panel-link').waitFor()
  const link = await text(leader.page, '#group-share-panel-link')
  expect(link).toContain('/#/trade/pages/group/index?groupId=')
  await shot(leader.page, 'leader-4-share-link')
  await leader.page.locator('#group-share-panel-close').click()

  // her order waits for the group: 待成团, no pickup code yet
  await leader.page.locator('#group-orders').click()
  await leader.page.locator('#order-row-0').click()
  await waitForText(leader.page, '#order-status', '待成团')
  expect(await text(leader.page, '#order-status-hint')).toBe('已付款，等待好友参团；成团后到 上海静安嘉里中心店 自提，未成团将自动退款')
  expect(await text(leader.page, '#order-pickup-after-group')).toBe('成团后即可出示提货码到店领取')
  expect(await leader.page.locator('#order-pickup-code-button').count()).toBe(0)
  await shot(leader.page, 'leader-5-order-grouping')
  const leaderOrder = leader.page.url()
  await leader.page.goto(link)
  await leader.page.locator('#group-share').waitFor()

  const first = await visitorWithBalance('小美')
  await joinByLink(first, link, 'friend1', 'delivery')
  await waitForText(first.page, '#group-seats-left', '还差 1 人成团')
  expect(await text(first.page, '#group-status')).toBe('拼团中')
  await shot(first.page, 'friend1-4-joined')

  const second = await visitorWithBalance('阿琳')
  await joinByLink(second, link, 'friend2', 'pickup')
  await waitForText(second.page, '#group-status', '拼团成功')
  expect(await text(second.page, '#group-result')).toBe('3 人已拼满，拼团成功')
  await shot(second.page, 'friend2-3-success')

  // the others see it by themselves (the open group page asks every few seconds)
  await waitForText(leader.page, '#group-status', '拼团成功')
  await waitForText(first.page, '#group-status', '拼团成功')
  for (const [phone, name] of [
    [leader, 'leader-6-success'],
    [first, 'friend1-5-success'],
  ] as const) {
    for (const nickname of ['林小雨', '小美', '阿琳']) expect(await text(phone.page, '#group-members')).toContain(nickname)
    await shot(phone.page, name)
  }

  // 我的拼团 lists it as a success; the 储值 paid for it
  await open(leader.page, 'pages/me/index')
  await leader.page.locator('#me-groups-entry').click()
  await leader.page.locator('#my-group-0').waitFor()
  expect(await text(leader.page, '#my-group-status-0')).toBe('拼团成功')
  await shot(leader.page, 'leader-7-my-groups')
  // formed: her order is ready to pick up, with its code
  await leader.page.goto(leaderOrder)
  await waitForText(leader.page, '#order-status', '待自提')
  await leader.page.locator('#order-pickup-code-button').click()
  expect((await text(leader.page, '#pickup-code-text')).replace(/\s/g, '')).toMatch(/^9\d{17}$/)
  await shot(leader.page, 'leader-8-order-pickup')
  // the order list says how each one's goods come: delivered (待发货) for 小美, picked up (待自提) for 阿琳
  await open(first.page, 'trade/pages/orders/index')
  await first.page.locator('#order-row-0').waitFor()
  expect(await text(first.page, '#order-row-status-0')).toBe('待发货')
  await first.page.locator('#order-row-0').click()
  await first.page.locator('#order-delivery').waitFor()
  expect(await text(first.page, '#order-delivery')).toContain('周小美 13900139000 上海市 徐汇区 虹桥路 1 号')
  await shot(first.page, 'friend1-6-order-delivery')
  await open(second.page, 'trade/pages/orders/index')
  await second.page.locator('#order-row-0').waitFor()
  expect(await text(second.page, '#order-row-0')).toContain('氨基酸洁面 3 人团')
  expect(await text(second.page, '#order-row-status-0')).toBe('待自提')
  await open(second.page, 'pages/card/index')
  await second.page.reload()
  await waitForText(second.page, '#card-balance', '¥31.00')

  for (const phone of [leader, first, second]) expect(phone.errors).toEqual([])
})

test('秒杀: the upcoming sale counts down with its button disabled, the sold-out one reads 已抢光, 立即抢购 leads to an order paid by 储值 within its 15 minutes', async () => {
  await clerkTopup(DEMO_MEMBER_OPENID, 20_000)
  const member = await loginAs('member')
  await member.page.locator('#card-trade-entry').click()
  await member.page.locator('#hub-flash-sales').click()
  await member.page.locator('#flash-list').waitFor()

  const upcoming = member.page.locator('#flash-buy-fs-lipstick-soon')
  expect(await upcoming.getAttribute('class')).toContain('btn--disabled')
  expect(await upcoming.innerText()).toMatch(/\d\d:\d\d:\d\d 后开抢/)
  const before = await upcoming.innerText()
  // it counts down
  await member.page.waitForFunction((shown) => document.querySelector('#flash-buy-fs-lipstick-soon')?.textContent?.trim() !== shown, before.trim())
  expect(await text(member.page, '#flash-buy-fs-mask-soldout')).toBe('已抢光')
  expect(await member.page.locator('#flash-buy-fs-mask-soldout').getAttribute('class')).toContain('btn--disabled')
  expect(await text(member.page, '#flash-buy-fs-serum-live')).toBe('立即抢购')
  await shot(member.page, 'flash-1-list')

  // 立即抢购 asks how the goods come before a unit is taken: 门店自提 at 徐汇港汇恒隆店
  await member.page.locator('#flash-buy-fs-serum-live').click()
  await member.page.locator('#flash-confirm').waitFor()
  await member.page.locator('#store-s-jingan.choice--active').waitFor()
  await member.page.locator('#store-s-xuhui').click()
  expect(await member.page.locator('#store-s-xuhui').getAttribute('class')).toContain('choice--active')
  expect(await text(member.page, '#flash-confirm-ok')).toBe('确认抢购')
  expect(await text(member.page, '#flash-confirm')).toContain('小棕瓶精华 30ml 限时秒杀 · ¥199.00')
  await shot(member.page, 'flash-2-confirm')
  await member.page.locator('#flash-confirm-ok').click()
  await member.page.locator('#order-status').waitFor()
  expect(await text(member.page, '#order-status')).toBe('待付款')
  expect(await text(member.page, '#order-pay-countdown')).toMatch(/剩余支付时间 00:1[45]:\d\d/)
  expect(await text(member.page, '#order-amount')).toBe('¥199.00')
  expect(await text(member.page, '#order-pickup')).toContain('上海徐汇港汇恒隆店')
  await shot(member.page, 'flash-3-order-to-pay')

  await member.page.locator('#order-pay-balance').click()
  await member.page.locator('#order-pay-submit').click()
  // paying from stored value asks first, with what is left after
  await member.page.locator('#order-balance-confirm').waitFor()
  expect(await text(member.page, '#order-balance-confirm-text')).toMatch(/^将从储值余额扣除 ¥199\.00，支付后余额 ¥\d+\.\d{2}$/)
  await shot(member.page, 'flash-4-balance-confirm')
  await member.page.locator('#order-balance-confirm-ok').click()
  await waitForText(member.page, '#order-status', '待自提')
  expect(await text(member.page, '#order-pay-method')).toBe('储值支付')
  expect(await text(member.page, '#order-status-hint')).toBe('请到 上海徐汇港汇恒隆店 出示提货码领取')
  await shot(member.page, 'flash-5-order-paid')

  // bought up to the limit: the sale says so
  await open(member.page, 'pages/me/index')
  await open(member.page, 'trade/pages/flash-sales/index')
  await member.page.reload()
  await waitForText(member.page, '#flash-buy-fs-serum-live', '已抢购')
  expect(member.errors).toEqual([])
})

test('with too little stored value the dialog defaults to 微信支付; 储值 reads 余额不足 and cannot be chosen', async () => {
  const visitor = await loginAs('visitor')
  await visitor.page.locator('#join-nickname input').fill('新朋友')
  await visitor.page.locator('#join-button').click()
  await visitor.page.locator('#member-card').waitFor()
  await visitor.page.locator('#card-trade-entry').click()
  await visitor.page.locator('#hub-group-buy').click()
  await visitor.page.locator(`#start-group-${CAMPAIGN_ID}`).click()
  await visitor.page.locator('#start-group-dialog').waitFor()
  const balance = visitor.page.locator('#start-pay-balance')
  const wechat = visitor.page.locator('#start-pay-wechat')
  await visitor.page.waitForFunction(() => document.querySelector('#start-pay-wechat')?.className.includes('choice--active'))
  expect(await balance.getAttribute('class')).toContain('choice--disabled')
  expect(await text(visitor.page, '#start-pay-balance')).toContain('余额不足 ¥0.00')
  await balance.click()
  expect(await wechat.getAttribute('class')).toContain('choice--active')
  expect(await balance.getAttribute('class')).not.toContain('choice--active')
  await shot(visitor.page, 'short-balance-dialog')
  expect(visitor.errors).toEqual([])
})
