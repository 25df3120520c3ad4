/**
 * Pictures kept in cloud storage (issue 10, item 15): the demo seed puts its product pictures in
 * the emulator's storage, configuration names them by file id, and the mall and promotion views
 * hand pages temporary https links to them. A picture that is gone is null (the page shows its
 * placeholder); an https picture passes as it is.
 */
import { DEMO_IMAGES, demoImageId } from '../../emulator/demo-images'
import { DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { startTestEmulator, type TestEmulator } from '../support/emulator'
import { AT_STORE, adminApp, callerFor, requestId } from '../support/functions'

let emulator: TestEmulator
beforeAll(async () => {
  emulator = await startTestEmulator({ seed: true })
})
afterAll(() => emulator?.stop())

const member = () => callerFor(emulator.adminUrl, DEMO_MEMBER_OPENID)

async function fetched(url: string) {
  const response = await fetch(url)
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() }
}

test('the demo products, flash sales and group-buys show their pictures through temporary links to cloud storage', async () => {
  const { products } = await member().ok('mall', 'products', {})
  const { sales } = await member().ok('promo', 'flashSales', {})
  const { campaigns } = await member().ok('promo', 'groupCampaigns', {})
  const images = [...products, ...sales, ...campaigns].map((view) => view.image)
  expect(images.length).toBeGreaterThanOrEqual(9)
  for (const image of images) {
    expect(image).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/storage\/.+\?sign=/)
    const picture = await fetched(image as string)
    expect(picture).toMatchObject({ status: 200, type: 'image/svg+xml' })
    expect(picture.body).toMatch(/^<svg /)
  }
  // the product page's picture is the list's
  const lipBalm = products.find((product) => product.productId === 'p-lipbalm')
  expect((await member().ok('mall', 'product', { productId: 'p-lipbalm' })).product.image).toBe(lipBalm?.image)
  expect(Object.keys(DEMO_IMAGES).length).toBe(7)
  // the 到店礼 coupon shows the gift's picture too
  const { templates } = await member().ok('coupon', 'centre', {})
  const gift = templates.find((template) => template.templateId === 'gift-mask')
  expect(gift?.image).toMatch(/\/storage\/.+\?sign=/)
  expect((await fetched(gift?.image as string)).status).toBe(200)
  expect(templates.find((template) => template.templateId === 'welcome-10')?.image).toBeNull()
  // a group shows its campaign's picture, on its page and in the answer that opened it
  const started = await member().ok('promo', 'startGroup', { campaignId: 'gb-cleanser-3', fulfilment: AT_STORE, payMethod: 'wechat', requestId: requestId() })
  expect(started.group.image).toMatch(/\/storage\/.+cleanser\.svg\?sign=/)
  expect((await member().ok('promo', 'group', { groupId: started.group.groupId })).group.image).toMatch(/\/storage\/.+\?sign=/)
})

test('a picture that is gone becomes null (the placeholder shows); an https picture passes as it is', async () => {
  const db = adminApp(emulator.adminUrl).database()
  await db
    .collection('products')
    .doc('p-mask-box')
    .update({ image: demoImageId('mask-box.svg').replace('mask-box', 'no-such-picture') })
  await db.collection('products').doc('p-serum').update({ image: 'https://img.example.com/serum.png' })
  const { products } = await member().ok('mall', 'products', {})
  const byId = new Map(products.map((product) => [product.productId, product.image]))
  expect(byId.get('p-mask-box')).toBeNull()
  expect(byId.get('p-serum')).toBe('https://img.example.com/serum.png')
  expect(byId.get('p-lipbalm')).toMatch(/\/storage\//)
})
