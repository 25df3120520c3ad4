/**
 * 积分商城 end to end: the member exchanges 300 points for 花漾润唇膏 (门店自提 at 上海静安嘉里中心店);
 * the order is 待自提 and her points drop by 300; she shows the 提货码; the clerk of that store
 * enters it at 自提核销 and the member's order page turns 已完成 on its own.
 */
import { demoImageId } from '../../emulator/demo-images'
import { numberIn, settledShots, text, waitForText } from '../support/browser'
import { useBrowserStack } from '../support/stack'

const PRODUCT_ID = 'p-lipbalm'

const stack = useBrowserStack({ waitForLanding: true })
const { loginAs, open } = stack
const shot = settledShots('mall')

/**
 * The demo shelf comes from emulator/seed-mall.ts; should the seed not carry the product, the test
 * puts the same document (domain/mall.ts's schema) on the shelf itself.
 */
async function ensureProduct() {
  const products = stack.emulator.app().database().collection('products')
  const { data } = await products.doc(PRODUCT_ID).get()
  if (data.length > 0) return
  await products.add({
    _id: PRODUCT_ID,
    name: '花漾润唇膏 3.5g',
    kind: 'goods',
    category: '美妆小样',
    image: null,
    description: '滋润不黏腻，门店自提。',
    points: 300,
    amount: 0,
    stock: 200,
    sold: 0,
    perMemberLimit: 2,
    visibleTiers: [],
    onShelf: true,
    pinned: true,
    fulfilment: ['pickup'],
    holds: [],
  })
}

beforeAll(ensureProduct)

test('300 points for a pickup product at 上海静安嘉里中心店: 待自提, points deducted, 提货码 handed over at 自提核销 → 已完成', async () => {
  const member = await loginAs('member')
  await member.page.locator('#card-points').waitFor()
  const pointsBefore = await numberIn(member.page, '#card-points')
  expect(pointsBefore).toBeGreaterThanOrEqual(300)

  // 会员卡 → 商城·活动 → 积分商城
  await member.page.locator('#card-trade-entry').click()
  await member.page.locator('#hub-mall').click()
  await member.page.locator(`#product-${PRODUCT_ID}`).waitFor()
  expect(await text(member.page, '#mall-points')).toBe(String(pointsBefore))
  // pinned first
  expect(await member.page.locator('.mall-item').first().getAttribute('id')).toBe(`product-${PRODUCT_ID}`)
  expect(await text(member.page, `#product-${PRODUCT_ID}`)).toContain('300 积分')
  // the products' pictures come from cloud storage; each shows once loaded
  await member.page.locator(`#product-picture-${PRODUCT_ID}[data-state="loaded"]`).waitFor()
  await member.page.locator('#product-picture-p-mask-box[data-state="loaded"]').waitFor()
  expect(await member.page.locator(`#product-picture-${PRODUCT_ID} img`).evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0)
  await shot(member.page, '1-mall')

  await member.page.locator(`#product-${PRODUCT_ID}`).click()
  await member.page.locator('#exchange-submit').waitFor()
  expect(await text(member.page, '#product-name')).toBe('花漾润唇膏 3.5g')
  expect(await member.page.locator('#fulfil-pickup').getAttribute('class')).toContain('choice--active')
  await member.page.locator('#store-s-jingan').click()
  expect(await member.page.locator('#store-s-jingan').getAttribute('class')).toContain('choice--active')
  expect(await text(member.page, '#product-total')).toBe('300 积分')
  await shot(member.page, '2-product')

  await member.page.locator('#exchange-submit').click()
  await member.page.locator('#exchange-confirm').waitFor()
  expect(await text(member.page, '#exchange-confirm')).toContain('门店自提：上海静安嘉里中心店')
  await shot(member.page, '3-confirm')
  await member.page.locator('#exchange-confirm-ok').click()

  // the exchange lands on the order's page
  await member.page.locator('#order-status').waitFor()
  await waitForText(member.page, '#order-status', '待自提')
  expect(await text(member.page, '#order-points')).toBe('−300')
  expect(await text(member.page, '#order-status-hint')).toContain('上海静安嘉里中心店')
  expect(await text(member.page, '#order-transitions')).toContain('已付款')
  expect(await text(member.page, '.order-id')).toMatch(/^订单号 \d{20}$/)
  await shot(member.page, '4-order-paid')
  const orderUrl = member.page.url()

  await member.page.locator('#order-pickup-code-button').click()
  await member.page.locator('#pickup-code-text').waitFor()
  const pickupCode = (await text(member.page, '#pickup-code-text')).replace(/\s/g, '')
  expect(pickupCode).toMatch(/^9\d{17}$/)
  await shot(member.page, '5-pickup-code')

  const clerk = await loginAs('clerk')
  await clerk.page.locator('#staff-pickup-entry').click()
  await clerk.page.locator('#pickup-input input').fill(pickupCode)
  await clerk.page.locator('#pickup-submit').click()
  // the slip first: what to hand over, still 待自提 until she confirms
  await clerk.page.locator('#pickup-preview').waitFor()
  expect(await text(clerk.page, '#pickup-title')).toBe('花漾润唇膏 3.5g × 1')
  expect(await text(clerk.page, '#pickup-status')).toBe('待自提')
  await shot(clerk.page, '6-clerk-pickup-slip')
  expect(await text(member.page, '#order-status')).toBe('待自提')
  await clerk.page.locator('#pickup-confirm').click()
  await clerk.page.locator('#pickup-result').waitFor()
  expect(await text(clerk.page, '#pickup-title')).toBe('花漾润唇膏 3.5g × 1')
  expect(await text(clerk.page, '#pickup-status')).toBe('已完成')
  await shot(clerk.page, '7-clerk-collected')

  // the member's page notices the hand-over by itself (it asks while the code is on screen)
  await waitForText(member.page, '#order-status', '已完成')
  expect(await member.page.locator('#order-collected-at').count()).toBe(1)
  await shot(member.page, '8-order-fulfilled')

  // points deducted once, on the card; the order list reads 已完成
  await open(member.page, 'pages/card/index')
  await member.page.reload()
  await waitForText(member.page, '#card-points', String(pointsBefore - 300))
  await open(member.page, 'trade/pages/orders/index')
  await member.page.locator('#order-row-0').waitFor()
  expect(await text(member.page, '#order-row-0')).toContain('花漾润唇膏 3.5g')
  expect(await text(member.page, '#order-row-status-0')).toBe('已完成')
  await shot(member.page, '9-orders')

  // a reload of the order keeps the log: 已付款 then 已完成
  await member.page.goto(orderUrl)
  await waitForText(member.page, '#order-status', '已完成')
  expect(await text(member.page, '#order-transitions')).toMatch(/已完成[\s\S]*已付款/)

  expect(member.errors).toEqual([])
  expect(clerk.errors).toEqual([])
})

test('points + cash: 800 积分 + ¥49.00 with the cash part through the simulated 微信支付 sheet → 待自提', async () => {
  const member = await loginAs('member')
  await open(member.page, 'trade/pages/product/index?productId=p-serum')
  await member.page.locator('#exchange-submit').waitFor()
  expect(await text(member.page, '#product-price')).toBe('800 积分 + ¥49.00')
  const points = Number(await text(member.page, '#product-my-points'))
  await member.page.locator('#pay-wechat').click()
  await member.page.locator('#exchange-submit').click()
  await member.page.locator('#exchange-confirm-ok').click()

  await member.page.locator('#pay-sheet').waitFor()
  expect(await text(member.page, '#pay-sheet-amount')).toBe('¥49.00')
  expect(await text(member.page, '#pay-sheet')).toContain('花漾美妆 · 积分商城')
  expect(await text(member.page, '#pay-sheet')).not.toMatch(/[A-Za-z][\w-]*:[\w-]*[A-Za-z_]|订单号/) // no internal trade number on the sheet
  await shot(member.page, '9-wechat-pay-sheet')
  await member.page.locator('#pay-sheet-confirm').click()

  await member.page.locator('#order-status').waitFor()
  await waitForText(member.page, '#order-status', '待自提')
  expect(await text(member.page, '#order-pay-method')).toBe('积分 + 微信支付')
  expect(await text(member.page, '#order-amount')).toBe('¥49.00')
  await shot(member.page, '10-points-and-cash-paid')

  await open(member.page, 'pages/card/index')
  await member.page.reload()
  await waitForText(member.page, '#card-points', String(points - 800))
  expect(member.errors).toEqual([])
})

test('a product whose picture is gone shows its placeholder, not a broken image', async () => {
  await stack.emulator
    .app()
    .database()
    .collection('products')
    .doc('p-mask-box')
    .update({ image: demoImageId('mask-box.svg').replace('mask-box', 'gone') })
  const member = await loginAs('member')
  await open(member.page, 'trade/pages/product/index?productId=p-mask-box')
  await member.page.locator('#product-picture[data-state="none"]').waitFor()
  expect(await text(member.page, '#product-picture')).toBe('补水')
  expect(await member.page.locator('#product-picture img').count()).toBe(0)
  await shot(member.page, '12-picture-placeholder')
  expect(member.errors).toEqual([])
})
