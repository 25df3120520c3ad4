/**
 * Demo promotions for local development: flash sales (one live, one upcoming, one sold out) and
 * group-buy campaigns (a 3-person and a 2-person group), relative to `now` so a fresh data
 * folder always has something to try. Merged into the demo seed (emulator/seed.ts).
 */
import type { FlashSale } from '../domain/promo/flash-sale'
import type { GroupCampaign } from '../domain/promo/group-buy'
import { demoImageId } from './demo-images'

const HOUR = 3_600_000
const DAY = 24 * HOUR

export function promoDemoData(now: Date = new Date()): { flash_sales: FlashSale[]; group_campaigns: GroupCampaign[] } {
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs)
  return {
    flash_sales: [
      {
        _id: 'fs-serum-live',
        title: '小棕瓶精华 30ml 限时秒杀',
        image: demoImageId('serum.svg'),
        price: 19900,
        listPrice: 59000,
        stock: 100,
        sold: 0,
        perMemberLimit: 1,
        startAt: at(-HOUR),
        endAt: at(2 * DAY),
        fulfilment: ['pickup', 'delivery'],
      },
      {
        _id: 'fs-lipstick-soon',
        title: '丝绒唇膏 2 支装',
        image: demoImageId('lipstick.svg'),
        price: 9900,
        listPrice: 32000,
        stock: 200,
        sold: 0,
        perMemberLimit: 2,
        startAt: at(DAY),
        endAt: at(DAY + 2 * HOUR),
        fulfilment: ['delivery'],
      },
      {
        _id: 'fs-mask-soldout',
        title: '补水面膜 10 片装',
        image: demoImageId('mask-box.svg'),
        price: 4900,
        listPrice: 16800,
        stock: 0,
        sold: 50,
        perMemberLimit: 1,
        startAt: at(-2 * HOUR),
        endAt: at(DAY),
        fulfilment: ['pickup'],
      },
    ],
    group_campaigns: [
      {
        _id: 'gb-cleanser-3',
        title: '氨基酸洁面 3 人团',
        image: demoImageId('cleanser.svg'),
        groupPrice: 6900,
        listPrice: 12900,
        groupSize: 3,
        timeLimitMinutes: 24 * 60,
        stock: 300,
        sold: 0,
        endAt: at(7 * DAY),
        fulfilment: ['pickup', 'delivery'],
      },
      {
        _id: 'gb-sunscreen-2',
        title: '清透防晒乳 2 人团',
        image: demoImageId('sunscreen.svg'),
        groupPrice: 8900,
        listPrice: 15800,
        groupSize: 2,
        timeLimitMinutes: 6 * 60,
        stock: 100,
        sold: 0,
        endAt: at(3 * DAY),
        fulfilment: ['pickup'],
      },
    ],
  }
}
