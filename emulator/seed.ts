/**
 * Demo data for local development: one brand, two stores, three clerks with channel codes,
 * three tiers, point rules, and one existing member whose ledger sums to their points.
 * Loaded by `npm start` when the data folder is empty.
 */
import { JOIN_DESCRIPTION, checkinEntryId, joinEntryId, CHECKIN_DESCRIPTION } from '../domain/loyalty/loyalty'
import type { LedgerEntry } from '../domain/shared/ledger-entry'
import { memberIdFor, type ChannelRecord, type MemberRecord } from '../domain/membership/member'
import { businessDay, previousDay } from '../domain/shared/time'
import type { StaffRecord } from '../backend/platform/staff'
import { demoImageId } from './demo-images'
import { mallDemoData } from './seed-mall'
import { promoDemoData } from './seed-promo'

export type PersonaId = 'visitor' | 'member' | 'clerk' | 'manager'

export interface Persona {
  id: PersonaId
  label: string
  description: string
  /** fixed WeChat openid; a visitor gets a new one at every login */
  openid?: string
  /** the channel scene a visitor arrives with */
  scene?: string
}

export const DEMO_MEMBER_OPENID = 'o_demo_member_linxiaoyu'
export const DEMO_CLERK_OPENID = 'o_demo_clerk_lixiaomei'
/** 林小雨's mobile number: the one her WeChat account holds, and the one on her membership */
export const DEMO_MEMBER_PHONE = '13812345678'
export const DEMO_MANAGER_OPENID = 'o_demo_manager_wangfang'

export const DEMO_PERSONAS: Persona[] = [
  {
    id: 'visitor',
    label: '新访客（扫了店员李晓梅的专属码）',
    description: '第一次打开小程序，免费入会，入会归属李晓梅的专属二维码',
    scene: 'c-li',
  },
  { id: 'member', label: '老会员 林小雨', description: '金卡会员，已有积分，可以每日签到', openid: DEMO_MEMBER_OPENID },
  { id: 'clerk', label: '店员 李晓梅（静安嘉里中心店）', description: '查看自己专属码带来的会员，核验会员码，记录消费', openid: DEMO_CLERK_OPENID },
  { id: 'manager', label: '店长 王芳（静安嘉里中心店）', description: '门店台账与日汇总，积分调整', openid: DEMO_MANAGER_OPENID },
]

export function demoData(now: Date = new Date()): Record<string, object[]> {
  const mall = mallDemoData()
  const core = coreDemoData(now)
  return { ...core, ...mall, ...promoDemoData(now), coupon_templates: [...(core.coupon_templates ?? []), ...(mall.coupon_templates ?? [])] }
}

function coreDemoData(now: Date): Record<string, object[]> {
  const stores = [
    { _id: 's-jingan', name: '上海静安嘉里中心店', region: '华东大区', city: '上海' },
    { _id: 's-xuhui', name: '上海徐汇港汇恒隆店', region: '华东大区', city: '上海' },
  ]
  const staff: StaffRecord[] = [
    { _id: 'st-li', openid: DEMO_CLERK_OPENID, name: '李晓梅', role: 'clerk', storeId: 's-jingan', channelId: 'c-li' },
    { _id: 'st-wang', openid: DEMO_MANAGER_OPENID, name: '王芳', role: 'manager', storeId: 's-jingan', channelId: 'c-wang' },
    { _id: 'st-zhao', openid: 'o_demo_clerk_zhaolei', name: '赵磊', role: 'clerk', storeId: 's-xuhui', channelId: 'c-zhao' },
  ]
  const channels: ChannelRecord[] = staff.map((member) => ({
    _id: member.channelId as string,
    name: `${member.name}的专属码`,
    ownerType: 'staff',
    ownerId: member._id,
    storeId: member.storeId,
  }))

  const memberId = memberIdFor(DEMO_MEMBER_OPENID)
  const joinedAt = new Date(now.getTime() - 200 * 86_400_000)
  const yesterday = previousDay(businessDay(now))
  const ledger: LedgerEntry[] = [
    {
      _id: joinEntryId(memberId),
      memberId,
      kind: 'join',
      points: 100,
      balance: 0,
      growth: 0,
      requestId: 'seed-join',
      businessDay: businessDay(joinedAt),
      createdAt: joinedAt,
      description: JOIN_DESCRIPTION,
    },
    {
      _id: `import:${memberId}`,
      memberId,
      kind: 'import',
      points: 1170,
      balance: 0,
      growth: 1680,
      requestId: 'seed-import',
      businessDay: businessDay(joinedAt),
      createdAt: new Date(joinedAt.getTime() + 60_000),
      description: '原会员系统积分迁移',
    },
    {
      _id: checkinEntryId(memberId, yesterday),
      memberId,
      kind: 'checkin',
      points: 10,
      balance: 0,
      growth: 0,
      requestId: 'seed-checkin',
      businessDay: yesterday,
      createdAt: new Date(now.getTime() - 86_400_000),
      description: CHECKIN_DESCRIPTION,
    },
  ]
  const member: MemberRecord = {
    _id: memberId,
    openid: DEMO_MEMBER_OPENID,
    unionid: null,
    memberNo: '10000001',
    nickname: '林小雨',
    cardTypeId: 'individual',
    tierId: 'gold',
    points: ledger.reduce((sum, entry) => sum + entry.points, 0),
    pointsOwed: 0,
    growthByYear: ledger.reduce<Record<string, number>>((years, entry) => {
      const year = entry.businessDay.slice(0, 4)
      if (entry.growth) years[year] = (years[year] ?? 0) + entry.growth
      return years
    }, {}),
    growth: 1680,
    balance: 0,
    status: 'active',
    channelId: 'c-li',
    referrerStaffId: 'st-li',
    phone: DEMO_MEMBER_PHONE,
    profile: { name: '林小雨', gender: 'female', birthday: '1995-06-18', birthdayLocked: true },
    birthdayMonthDay: '06-18',
    addresses: [],
    consent: { version: '2026-01', at: joinedAt },
    deletionRequestedAt: null,
    tags: ['护肤达人', '高频到店'],
    lastVisitAt: null,
    tierHistory: [
      { from: null, to: 'silver', reason: 'join', at: joinedAt },
      { from: 'silver', to: 'gold', reason: 'upgrade', at: new Date(joinedAt.getTime() + 60_000) },
    ],
    joinedAt,
    entryCount: ledger.length,
    lastCheckinDay: ledger.filter((entry) => entry.kind === 'checkin').reduce((latest, entry) => (entry.businessDay > latest ? entry.businessDay : latest), ''),
    outbox: {},
    lastEntryAt: null,
  }
  const otherMemberId = memberIdFor('o_demo_member_zhouting')
  const otherJoin: LedgerEntry = {
    _id: joinEntryId(otherMemberId),
    memberId: otherMemberId,
    kind: 'join',
    points: 100,
    balance: 0,
    growth: 0,
    requestId: 'seed-join-2',
    businessDay: businessDay(now.getTime() - 3 * 86_400_000),
    createdAt: new Date(now.getTime() - 3 * 86_400_000),
    description: JOIN_DESCRIPTION,
  }
  const otherMember: MemberRecord = {
    ...member,
    _id: otherMemberId,
    openid: 'o_demo_member_zhouting',
    memberNo: '10000002',
    nickname: '周婷',
    tierId: 'silver',
    points: 100,
    growth: 0,
    growthByYear: {},
    phone: null,
    profile: { name: null, gender: 'unknown', birthday: null, birthdayLocked: false },
    consent: null,
    tags: [],
    tierHistory: [{ from: null, to: 'silver', reason: 'join', at: otherJoin.createdAt }],
    joinedAt: otherJoin.createdAt,
    entryCount: 1,
    lastCheckinDay: '',
  }

  return {
    config: [
      { _id: 'brand', name: '花漾美妆', timeZone: 'Asia/Shanghai' },
      {
        _id: 'pointRules',
        join: { points: 100, growth: 0 },
        checkin: { points: 10, growth: 1, streakBonus: { everyDays: 7, points: 30 } },
        purchase: { pointsPerYuan: 1, storeRates: { 's-xuhui': 2 }, growthPerYuan: 1 },
        adjustment: { maxPoints: 5000 },
        expiry: { policy: 'endOfNextYear' },
      },
      { _id: 'gifts', welcomeCouponTemplateId: 'welcome-10', birthdayCouponTemplateId: 'gift-mask' },
      {
        _id: 'social',
        binding: { mode: 'firstTouchForDays', days: 30, newcomersOnly: false },
        ownerFromInviter: true,
        rewards: [
          { id: 'invite-join', name: '好友入会奖励', outcome: 'joined', points: 50, dailyCapPerSharer: 5, budget: 100000 },
          { id: 'first-buy', name: '好友首单奖励', outcome: 'firstPurchase', withinDays: 30, points: 100, dailyCapPerSharer: 5, budget: 20000 },
        ],
        returnWindowDays: 7,
      },
      {
        _id: 'storedValue',
        minAmount: 1000,
        maxAmount: 5000000,
        bonusRules: [
          { minAmount: 50000, bonus: 5000 },
          { minAmount: 100000, bonus: 15000 },
          { minAmount: 200000, bonus: 40000 },
        ],
        presets: [10000, 50000, 100000, 200000],
        onlinePayment: { passwordAbove: 20000, maxFailures: 5 },
      },
    ],
    card_types: [
      { _id: 'individual', name: '个人卡', isDefault: true },
      { _id: 'family', name: '家庭卡', isDefault: false },
      { _id: 'cobrand-bank', name: '联名卡', isDefault: false },
    ],
    tiers: [
      { _id: 'silver', name: '银卡会员', rank: 1, growthThreshold: 0, discountPercent: 100, pointsMultiplier: 1, birthdayGiftPoints: 50 },
      { _id: 'gold', name: '金卡会员', rank: 2, growthThreshold: 1000, discountPercent: 95, pointsMultiplier: 1.2, birthdayGiftPoints: 200 },
      { _id: 'diamond', name: '钻石会员', rank: 3, growthThreshold: 5000, discountPercent: 90, pointsMultiplier: 1.5, birthdayGiftPoints: 500 },
    ],
    stores,
    staff,
    channels,
    counters: [{ _id: 'memberNo', seq: 10000002 }],
    coupon_templates: [
      {
        _id: 'welcome-10',
        name: '新会员满100减10',
        kind: 'cash',
        value: 1000,
        threshold: 10000,
        giftName: null,
        validity: { type: 'relative', days: 30 },
        perMemberLimit: 1,
        total: 100000,
        taken: 0,
        audience: { tiers: [], tags: [] },
        usableIn: ['store', 'online'],
        claimable: true,
        onShelf: true,
        friend: null,
        friendTaken: 0,
      },
      {
        _id: 'gold-88',
        name: '金卡专享 8.8折券',
        kind: 'discount',
        value: 88,
        threshold: 20000,
        giftName: null,
        validity: { type: 'relative', days: 14 },
        perMemberLimit: 1,
        total: 5000,
        taken: 0,
        audience: { tiers: ['gold', 'diamond'], tags: [] },
        usableIn: ['store'],
        claimable: true,
        onShelf: true,
        friend: null,
        friendTaken: 0,
      },
      {
        _id: 'friend-30',
        name: '朋友券 满200减30',
        kind: 'cash',
        value: 3000,
        threshold: 20000,
        giftName: null,
        validity: { type: 'relative', days: 15 },
        perMemberLimit: 1,
        total: 20000,
        taken: 0,
        audience: { tiers: [], tags: [] },
        usableIn: ['store', 'online'],
        claimable: true,
        onShelf: true,
        friend: { perSharer: 5, perFriend: 1, budget: 10000 },
        friendTaken: 0,
      },
      {
        _id: 'gift-mask',
        name: '到店礼 面膜小样',
        kind: 'gift',
        value: 0,
        threshold: 0,
        giftName: '补水面膜小样 1 片',
        image: demoImageId('mask-box.svg'),
        validity: { type: 'relative', days: 7 },
        perMemberLimit: 1,
        total: 2000,
        taken: 0,
        audience: { tiers: [], tags: [] },
        usableIn: ['store'],
        claimable: true,
        onShelf: true,
        friend: null,
        friendTaken: 0,
      },
    ],
    members: [member, otherMember],
    ledger: [...ledger, otherJoin],
  }
}
