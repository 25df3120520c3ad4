/**
 * Coupons end to end: the member claims 新会员满100减10 in the coupon centre; the clerk scans her
 * member code, picks that coupon and records a ¥150 purchase (gold 95折 → ¥142.50, minus ¥10 →
 * ¥132.50) with the coupon line on the receipt; the wallet shows it under 已使用. Then a 到店礼
 * shown by its own code (出示券码) is redeemed at 核销券码, and the member's code page says it is used.
 */
import { REASON_COPY } from '../../src/services/reason-copy'
import { currentCode, settledShots, text } from '../support/browser'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack({ waitForLanding: true })
const { loginAs, open } = stack
const shot = settledShots('coupons')

test('a claimed 满100减10 coupon is picked at the counter: the receipt shows the coupon line and ¥132.50 payable; the wallet lists it under 已使用', async () => {
  const member = await loginAs('member')

  // 会员卡 → 商城·活动 → 领券中心
  await member.page.locator('#card-trade-entry').click()
  await member.page.locator('#hub-coupon-centre').click()
  await member.page.locator('#template-welcome-10').waitFor()
  expect(await text(member.page, '#template-welcome-10')).toContain('新会员满100减10')
  expect(await text(member.page, '#template-welcome-10')).toContain('满100减10')
  // the 到店礼 shows its gift's picture, from cloud storage
  await member.page.waitForFunction(() => ((document.querySelector('#template-gift-mask .coupon-ticket__image img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0)
  await shot(member.page, '1-coupon-centre')
  await member.page.locator('#claim-welcome-10').click()
  await member.page.locator('#claimed-welcome-10').waitFor()
  expect(await text(member.page, '#template-welcome-10')).toContain('已领 1 张')
  await member.page.waitForTimeout(1000) // let the 领取成功 toast go
  await shot(member.page, '2-claimed')

  await open(member.page, 'trade/pages/coupons/index')
  const unused = member.page.locator('#wallet-list:visible .coupon-ticket', { hasText: '新会员满100减10' })
  await unused.waitFor()
  expect(await unused.innerText()).toContain('门店、线上可用')
  await shot(member.page, '3-wallet-unused')

  await open(member.page, 'pages/card/index')
  const code = await currentCode(member.page)
  const clerk = await loginAs('clerk')
  await clerk.page.locator('#staff-verify-entry').click()
  await clerk.page.locator('#verify-code-input input').fill(code)
  await clerk.page.locator('#verify-submit-button').click()
  await clerk.page.locator('#verify-result').waitFor()
  const pick = clerk.page.locator('.coupon-pick', { hasText: '新会员满100减10' })
  await pick.waitFor()
  await clerk.page.locator('#purchase-amount input').fill('150')
  await pick.click()
  expect(await pick.getAttribute('class')).toContain('coupon-pick--active')
  await clerk.page.locator('#pay-method-cash').click()
  await clerk.page.locator('#coupon-picker').scrollIntoViewIfNeeded()
  await clerk.page.locator('#purchase-quote-payable').waitFor()
  expect(await text(clerk.page, '#purchase-quote-payable')).toBe('¥132.50')
  await shot(clerk.page, '4-clerk-coupon-picker')
  await clerk.page.locator('#purchase-submit').click()

  await clerk.page.locator('#receipt').waitFor()
  expect(await text(clerk.page, '#receipt-list-amount')).toBe('¥150.00')
  expect(await text(clerk.page, '#receipt-discount')).toContain('95折 −¥7.50')
  expect(await text(clerk.page, '#receipt-coupon')).toBe('新会员满100减10 −¥10.00')
  expect(await text(clerk.page, '#receipt-payable')).toBe('¥132.50')
  await clerk.page.locator('#receipt').scrollIntoViewIfNeeded()
  await shot(clerk.page, '5-clerk-receipt-with-coupon')

  await open(member.page, 'trade/pages/coupons/index')
  await member.page.locator('#wallet-tab-used').click()
  const used = member.page.locator('#wallet-list:visible .coupon-ticket', { hasText: '新会员满100减10' })
  await used.waitFor()
  expect(await used.innerText()).toContain('已使用')
  expect(await used.innerText()).toContain('使用时间')
  await shot(member.page, '6-wallet-used')
  await member.page.locator('#wallet-tab-unused').click()
  await member.page.locator('#page-empty, #wallet-list').first().waitFor()
  expect(await member.page.locator('#wallet-list:visible .coupon-ticket', { hasText: '新会员满100减10' }).count()).toBe(0)

  expect(member.errors).toEqual([])
  expect(clerk.errors).toEqual([])
})

test('a 到店礼 shown by its own code is redeemed at 核销券码; the code then reads as used', async () => {
  const member = await loginAs('member')
  await open(member.page, 'trade/pages/coupon-centre/index')
  await member.page.locator('#claim-gift-mask').click()
  await member.page.locator('#claimed-gift-mask').waitFor()

  await open(member.page, 'trade/pages/coupons/index')
  const gift = member.page.locator('#wallet-list:visible .coupon-ticket', { hasText: '到店礼 面膜小样' })
  await gift.waitFor()
  expect(await gift.innerText()).toContain('补水面膜小样 1 片')
  await gift.locator('text=出示券码').click()
  await member.page.locator('#coupon-code-text').waitFor()
  expect(await text(member.page, '#coupon-code-terms')).toContain('到店礼 面膜小样')
  expect(await member.page.locator('#coupon-code-qr img, #coupon-code-qr').first().getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/)
  expect(await text(member.page, '#coupon-code-countdown')).toMatch(/券码有效 · 00:0[45]:\d\d/)
  const couponCode = (await text(member.page, '#coupon-code-text')).replace(/\s/g, '')
  expect(couponCode).toMatch(/^7\d{17}$/)
  await shot(member.page, '7-gift-coupon-code')

  const clerk = await loginAs('clerk')
  await clerk.page.locator('#staff-redeem-entry').click()
  // typed digit by digit, the field shows it in the groups of four the member's page shows
  await clerk.page.locator('#redeem-input input').pressSequentially(couponCode)
  expect(await clerk.page.locator('#redeem-input input').inputValue()).toBe(await text(member.page, '#coupon-code-text'))
  await shot(clerk.page, '8-clerk-typed-coupon-code')
  await clerk.page.locator('#redeem-submit').click()
  await clerk.page.locator('#redeem-result').waitFor()
  expect(await text(clerk.page, '#redeem-result')).toContain('核销成功')
  expect(await text(clerk.page, '#redeem-coupon-name')).toBe('到店礼 面膜小样')
  expect(await text(clerk.page, '#redeem-gift')).toBe('补水面膜小样 1 片')
  await shot(clerk.page, '8-clerk-redeemed')

  // the same code again: refused, with the copy for COUPON_USED
  await clerk.page.locator('#redeem-next').click()
  await clerk.page.locator('#redeem-input input').fill(couponCode)
  await clerk.page.locator('#redeem-submit').click()
  await clerk.page.locator('#redeem-error').waitFor()
  expect(await text(clerk.page, '#redeem-error')).toBe(`核销失败：${REASON_COPY.COUPON_USED}`)
  await shot(clerk.page, '9-clerk-second-redeem-refused')

  // the member's code page turns to 已核销 by itself within seconds of the scan (it asks every 3 s)
  await member.page.locator('#coupon-code-finished').waitFor({ state: 'attached', timeout: 10_000 })
  expect(await text(member.page, '#page-empty')).toContain('已核销')
  expect(await text(member.page, '#page-empty')).toMatch(/核销时间 \d{2}-\d{2} \d{2}:\d{2}/)
  expect(await member.page.locator('#coupon-code-countdown').count()).toBe(0)
  await shot(member.page, '10-member-code-used')

  expect(member.errors).toEqual([])
  expect(clerk.errors).toEqual([])
})

test('朋友券: the member shares 朋友券 满200减30; a visitor opens the link, 入会 and claims a copy shared by 林小雨', async () => {
  const member = await loginAs('member')
  await open(member.page, 'trade/pages/coupon-centre/index')
  await member.page.locator('#claim-friend-30').click()
  await member.page.locator('#claimed-friend-30').waitFor()

  await open(member.page, 'trade/pages/coupons/index')
  const friendCoupon = member.page.locator('#wallet-list:visible .coupon-ticket', { hasText: '朋友券 满200减30' })
  await friendCoupon.waitFor()
  await friendCoupon.locator('text=分享给好友').click()
  await member.page.locator('#coupon-share-panel-link').waitFor()
  expect(await text(member.page, '#coupon-share-panel')).toContain('林小雨 分享给你一张券')
  expect(await text(member.page, '#coupon-share-remaining')).toBe('还可邀请 5 位好友领取')
  const link = await text(member.page, '#coupon-share-panel-link')
  expect(link).toContain('/#/trade/pages/friend-coupon/index?shareId=')
  await shot(member.page, '11-friend-share-card')

  const { page: friend, errors: friendErrors } = await loginAs('visitor')
  await friend.goto(link)
  await friend.locator('#friend-title').waitFor()
  expect(await text(friend, '#friend-title')).toBe('林小雨 分享给你一张券')
  expect(await text(friend, '#friend-coupon')).toContain('满200减30')
  await shot(friend, '12-friend-page-not-member')
  await friend.locator('#friend-join').click()
  await friend.locator('#friend-claimed').waitFor()
  expect(await text(friend, '#friend-claimed')).toContain('领取成功')
  await shot(friend, '13-friend-claimed')

  await friend.locator('#friend-go-wallet').click()
  const copy = friend.locator('#wallet-list:visible .coupon-ticket', { hasText: '朋友券 满200减30' })
  await copy.waitFor()
  expect(await copy.innerText()).toContain('林小雨 分享给你')
  expect(await copy.locator('text=分享给好友').count()).toBe(0) // a friend's copy is not shared on
  await shot(friend, '14-friend-wallet')

  // the sharer's open share card counts the friend's claim without a reload
  await member.page.waitForFunction(() => document.querySelector('#coupon-share-remaining')?.textContent?.trim() === '还可邀请 4 位好友领取', undefined, { timeout: 15_000 })
  await shot(member.page, '15-sharer-card-updated')

  // the sharer opening her own link sees it is hers: nothing to claim, no 重试
  await member.page.goto(link)
  await member.page.locator('#friend-mine').waitFor()
  expect(await text(member.page, '#friend-title')).toBe('你分享的朋友券')
  expect(await member.page.locator('#friend-claim').count()).toBe(0)
  expect(await text(member.page, '#friend-coupon')).toContain('还可领取 4 张')
  await shot(member.page, '16-sharer-own-link')

  expect(member.errors).toEqual([])
  expect(friendErrors).toEqual([])
})
