/**
 * Issue 10, item 14: paying online from stored value asks for confirmation, and above the brand's
 * amount (¥200 in the demo) for the 支付密码 — set in 个人资料, six hidden digits, a wrong one says
 * how many attempts are left and takes nothing.
 */
import { DEMO_CLERK_OPENID, DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { settledShots, text, waitForText } from '../support/browser'
import { AT_STORE, callerFor, requestId } from '../support/functions'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack({ waitForLanding: true })
const { loginAs, open } = stack
const shot = settledShots('pay-password')

test('林小雨 sets her payment password, then pays a ¥299.00 order from stored value: a wrong password is refused with the attempts left, the right one pays', async () => {
  const admin = stack.emulator.app().database()
  const now = Date.now()
  await admin.collection('flash_sales').add({
    _id: 'fs-big',
    title: '精华礼盒 限时秒杀',
    image: null,
    price: 29900,
    listPrice: 59900,
    stock: 10,
    sold: 0,
    perMemberLimit: 1,
    startAt: new Date(now - 60_000),
    endAt: new Date(now + 3_600_000),
    fulfilment: ['pickup'],
  })
  const member = callerFor(stack.emulator.adminUrl, DEMO_MEMBER_OPENID)
  const { code } = await member.ok('member', 'card', {})
  const clerk = callerFor(stack.emulator.adminUrl, DEMO_CLERK_OPENID)
  const { counterToken } = await clerk.ok('staff', 'verifyMemberCode', { code })
  await clerk.ok('staff', 'topup', { counterToken, amount: 50000, payMethod: 'cash', requestId: requestId() })
  const { order } = await member.ok('promo', 'flashBuy', { saleId: 'fs-big', fulfilment: AT_STORE, requestId: requestId() })

  const phone = await loginAs('member')
  const page = phone.page
  await open(page, 'member/pages/profile/index')
  await page.locator('#profile-pay-password').waitFor()
  expect(await text(page, '#pay-password-hint')).toContain('尚未设置')
  await page.locator('#pay-password-new input').fill('271828')
  await page.locator('#pay-password-again input').fill('271828')
  await shot(page, '1-set-password')
  await page.locator('#pay-password-save').click()
  await page.waitForFunction(() => document.querySelector('#pay-password-hint')?.textContent?.includes('已设置'))
  expect(await page.locator('#pay-password-current').count()).toBe(1) // changing it now needs the current one

  await open(page, `trade/pages/order/index?orderId=${encodeURIComponent(order.orderId)}`)
  await page.locator('#order-pay-balance').click()
  await page.locator('#order-pay-submit').click()
  await page.locator('#order-balance-confirm').waitFor()
  await page.locator('#order-pay-password').waitFor()
  expect(await page.locator('#order-balance-confirm-ok').getAttribute('class')).toContain('btn--disabled')
  await page.locator('#order-pay-password input').fill('000001')
  await shot(page, '2-password-asked')
  await page.locator('#order-balance-confirm-ok').click()
  await waitForText(page, '#order-action-note', '支付密码错误，还可尝试 4 次')
  expect(await text(page, '#order-status')).toBe('待付款')
  await shot(page, '3-wrong-password')

  await page.locator('#order-pay-submit').click()
  await page.locator('#order-pay-password input').fill('271828')
  await page.locator('#order-balance-confirm-ok').click()
  await waitForText(page, '#order-status', '待自提')
  await shot(page, '4-paid')
  expect(await text(page, '#order-pay-method')).toBe('储值支付')
  expect(phone.errors).toEqual([])
})
