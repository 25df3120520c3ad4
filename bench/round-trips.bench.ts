/**
 * Database calls per hot path, as the emulator counts them per invocation (run:
 * node --import tsx bench/round-trips.bench.ts). Every figure is a warm instance's: the function
 * was called once before, so configuration and staff caches are loaded. Deterministic, so it
 * can be run on two checkouts and compared line by line.
 */
import { DEMO_CLERK_OPENID } from '../emulator/seed'
import { startTestEmulator } from '../tests/support/emulator'
import { AT_STORE, callerFor, invocations, newOpenid, requestId } from '../tests/support/functions'

const MANAGER_OPENID = 'o_demo_manager_wangfang'

async function main() {
  const emulator = await startTestEmulator({ seed: true })
  const url = emulator.adminUrl
  const rows: [string, number][] = []
  const last = async (fn: string, openid: string) => (await invocations(emulator.url, { function: fn, openid, last: 1 }))[0].adminCalls
  try {
    const clerk = callerFor(url, DEMO_CLERK_OPENID)
    const manager = callerFor(url, MANAGER_OPENID)
    const join = async () => {
      const openid = newOpenid('trips')
      const caller = callerFor(url, openid)
      await caller.ok('member', 'join', {})
      return { openid, caller }
    }
    const token = async (member: Awaited<ReturnType<typeof join>>, staff = clerk) => {
      const { code } = await member.caller.ok('member', 'card', {})
      return (await staff.ok('staff', 'verifyMemberCode', { code })).counterToken
    }
    await clerk.ok('staff', 'me', {})
    await manager.ok('staff', 'me', {})

    const checker = await join()
    await checker.caller.ok('loyalty', 'status', {})
    await checker.caller.ok('loyalty', 'checkin', { requestId: requestId() })
    rows.push(['loyalty.checkin (ordinary day)', await last('loyalty', checker.openid)])

    const buyer = await join()
    await token(buyer) // warms the scan path
    const counterToken = await token(buyer)
    rows.push(['staff.verifyMemberCode', await last('staff', DEMO_CLERK_OPENID)])
    await clerk.ok('staff', 'topup', { counterToken, amount: 50000, payMethod: 'cash', requestId: requestId() })
    rows.push(['staff.topup', await last('staff', DEMO_CLERK_OPENID)])
    await clerk.ok('staff', 'recordPurchase', { counterToken, amount: 1000, payMethod: 'cash', requestId: requestId() })
    const { receipt } = await clerk.ok('staff', 'recordPurchase', { counterToken, amount: 3000, payMethod: 'balance', requestId: requestId() })
    rows.push(['staff.recordPurchase (no coupon)', await last('staff', DEMO_CLERK_OPENID)])
    const { coupons } = await buyer.caller.ok('coupon', 'wallet', { status: 'unused' })
    const welcome = coupons.find((coupon) => coupon.templateId === 'welcome-10')
    if (welcome) {
      await clerk.ok('staff', 'recordPurchase', { counterToken, amount: 12000, payMethod: 'cash', couponId: welcome.couponId, requestId: requestId() })
      rows.push(['staff.recordPurchase (with a coupon)', await last('staff', DEMO_CLERK_OPENID)])
    }
    await clerk.ok('staff', 'refundPurchase', { purchaseId: receipt.purchaseId, requestId: requestId() })
    rows.push(['staff.refundPurchase', await last('staff', DEMO_CLERK_OPENID)])
    const managerToken = await token(buyer, manager)
    await manager.ok('staff', 'adjustPoints', { counterToken: managerToken, points: 10, reason: '测算调整', requestId: requestId() })
    rows.push(['staff.adjustPoints', await last('staff', MANAGER_OPENID)])

    const flashWarm = await join()
    await flashWarm.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId: 'fs-serum-live', requestId: requestId() })
    const flashBuyer = await join()
    await flashBuyer.caller.ok('promo', 'flashSales', {})
    const flash = await flashBuyer.caller.ok('promo', 'flashBuy', { fulfilment: AT_STORE, saleId: 'fs-serum-live', requestId: requestId() })
    rows.push(['promo.flashBuy (win)', await last('promo', flashBuyer.openid)])
    const flashPayer = callerFor(url, flashBuyer.openid)
    await clerk.ok('staff', 'topup', { counterToken: await token(flashBuyer), amount: 50000, payMethod: 'cash', requestId: requestId() })
    await flashPayer.ok('order', 'pay', { orderId: flash.order.orderId, method: 'balance', requestId: requestId() })
    rows.push(['order.pay (stored value)', await last('order', flashBuyer.openid)])
  } finally {
    await emulator.stop()
  }
  console.log('\nDatabase calls per action (warm instance)')
  console.log('action | calls')
  for (const [action, calls] of rows) console.log(`${action} | ${calls}`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
