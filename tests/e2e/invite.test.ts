/**
 * 邀请有礼 end to end: 林小雨 reads the rules and sends her invite card; a new visitor (who had
 * scanned clerk Li's code) opens the card in another browser, sees who invited her, joins and buys
 * at the counter; 林小雨's 我的邀请 lists the friend, masked; the invitation and the clerk's channel
 * are both kept on the new member. The same page opened from Moments (single-page mode, no
 * session) still shows the invitation and asks the visitor into the mini-program.
 */
import { DEMO_CLERK_OPENID, DEMO_MEMBER_OPENID } from '../../emulator/seed'
import { memberIdFor } from '../../domain/membership/member'
import { openidOf, phoneContext, settledShots, text, waitForText, watchErrors } from '../support/browser'
import { adminApp, callerFor, requestId } from '../support/functions'
import { fireTimer } from '../support/clock'
import { useBrowserStack } from '../support/stack'

const stack = useBrowserStack({ waitForLanding: true })
const { loginAs, open } = stack
const shot = settledShots('invite')

describe('邀请有礼 (H5 build, Chromium)', () => {
  let link = ''
  let code = ''

  test('the member sees the rules before anything else, then the invite card with her link', async () => {
    const { page, errors } = await loginAs('member')
    await open(page, 'trade/pages/invite/index')
    await page.locator('#invite-rules').waitFor()
    expect(await text(page, '#invite-rule-binding')).toContain('好友以第一次打开的邀请为准，30 天后')
    expect(await text(page, '#invite-rules')).toContain('分享本身不发放任何奖励')
    expect(await text(page, '.invite-rules__reward')).toContain('好友入会奖励：好友通过你的邀请入会，你得 50 积分；同一好友只奖励一次，每天最多 5 次')
    expect(await text(page, '#invite-total')).toBe('0')
    await shot(page, '1-invite-page')
    await page.locator('#invite-share').click()
    await page.locator('#invite-share-panel').waitFor()
    expect(await text(page, '#invite-share-panel')).toContain('林小雨 邀请你加入花漾美妆会员')
    link = await text(page, '#invite-share-panel-link')
    expect(link).toMatch(/#\/pages\/join\/index\?s=[A-Za-z0-9_-]{10}$/)
    code = link.slice(link.indexOf('?s=') + 3)
    await shot(page, '2-invite-card')
    expect(errors).toEqual([])
  })

  test('a visitor opens the card in another browser, sees who invited her, joins and buys at the counter; the member sees her friend and the locked reward', async () => {
    const visitor = await loginAs('visitor')
    await visitor.page.goto(link)
    await waitForText(visitor.page, '#join-channel', '林小雨 邀请你加入')
    await shot(visitor.page, '3-friend-join')
    await visitor.page.locator('#join-nickname input').fill('周小美')
    await visitor.page.locator('#join-button').click()
    await visitor.page.locator('#member-card').waitFor()
    const openid = await openidOf(visitor.page)

    // bought at the counter: clerk 李晓梅 scans her code and records ¥128.00 in cash
    const { code: memberCode } = await callerFor(stack.emulator.adminUrl, openid).ok('member', 'card', {})
    const clerk = callerFor(stack.emulator.adminUrl, DEMO_CLERK_OPENID)
    const { counterToken } = await clerk.ok('staff', 'verifyMemberCode', { code: memberCode })
    await clerk.ok('staff', 'recordPurchase', { counterToken, amount: 12800, payMethod: 'cash', requestId: requestId() })
    // the minute's timer delivers the purchase to its followers
    await fireTimer(stack.emulator.adminUrl, 'minutely')

    const record = (await adminApp(stack.emulator.adminUrl).database().collection('members').doc(memberIdFor(openid)).get()).data[0]
    // invited by 林小雨 for ever; the clerk's code she scanned first stays her joining channel
    expect(record).toMatchObject({ invitedBy: memberIdFor(DEMO_MEMBER_OPENID), channelId: 'c-li', ownerStaffId: 'st-li', joinScene: 'c-li' })

    const member = await loginAs('member')
    await open(member.page, 'trade/pages/invite/index')
    await waitForText(member.page, '#invite-total', '1')
    expect(await text(member.page, '.invite-friend')).toContain('周*美')
    expect(await text(member.page, '.invite-friend')).not.toContain('周小美')
    expect(await text(member.page, '.invite-friend')).toContain('已消费')
    // the reward for her joining, credited to 林小雨 (1280 points in the demo data, + 50); the one for her first purchase 待入账 for the return window
    expect(await text(member.page, '#invite-rewards-sum')).toBe('已得 50 积分 · 待入账 100')
    expect(await text(member.page, '#invite-rewards')).toMatch(/好友首单奖励[\s\S]*周\*美[\s\S]*到账[\s\S]*\+100 待入账[\s\S]*好友入会奖励[\s\S]*周\*美[\s\S]*\+50/)
    expect((await callerFor(stack.emulator.adminUrl, DEMO_MEMBER_OPENID).ok('loyalty', 'status', {})).points).toBe(1280 + 50)
    await shot(member.page, '4-my-invites')
    expect([...visitor.errors, ...member.errors]).toEqual([])
  })

  test('opened from Moments (single-page mode, no session) the page still shows the invitation and asks the visitor in', async () => {
    const context = await phoneContext(stack.browser)
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${stack.emulator.url}/#/trade/pages/invite/index?s=${code}&timeline=1`)
    await page.locator('#invite-landing').waitFor()
    expect(await text(page, '#invite-landing-title')).toBe('好友邀请你加入花漾美妆会员')
    expect(await text(page, '#invite-timeline-hint')).toContain('前往小程序')
    expect(page.url()).toContain('trade/pages/invite/index')
    await shot(page, '5-moments')
    expect(errors).toEqual([])
  })
})
