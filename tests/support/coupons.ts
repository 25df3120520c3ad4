/** A claimable coupon template for a test (满100减20 unless overridden), inserted as an admin would in the console. */
import { adminApp } from './functions'

let sequence = 0

export async function addCouponTemplate(adminUrl: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const id = `t${Date.now().toString(36)}${process.pid}${++sequence}`
  await adminApp(adminUrl)
    .database()
    .collection('coupon_templates')
    .add({
      _id: id,
      name: '满100减20',
      kind: 'cash',
      value: 2000,
      threshold: 10000,
      validity: { type: 'relative', days: 30 },
      perMemberLimit: 1,
      total: 1000,
      taken: 0,
      usableIn: ['store', 'online'],
      claimable: true,
      onShelf: true,
      ...overrides,
    })
  return id
}
