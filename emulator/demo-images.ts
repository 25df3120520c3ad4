/**
 * Product pictures for the demo data, drawn here as SVG (nothing is fetched): a soft brand
 * background and the product's silhouette — a lip balm, a mask box, a serum bottle, a cleanser
 * tube, a sunscreen, a lipstick pair and a coupon. The seed puts them in the emulator's cloud
 * storage under images/, and the demo products, flash sales and group-buys name them by file id.
 */
import { bucketOf } from './storage'

const BRAND = '#9E2F50'
const GOLD = '#C9A063'

function picture(background: [string, string], body: string): string {
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600">',
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${background[0]}"/><stop offset="1" stop-color="${background[1]}"/></linearGradient>`,
    '<linearGradient id="shine" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#fff" stop-opacity="0.55"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></linearGradient></defs>',
    '<rect width="600" height="600" fill="url(#bg)"/>',
    '<ellipse cx="300" cy="520" rx="190" ry="26" fill="#000" opacity="0.08"/>',
    body,
    '</svg>',
  ].join('')
}

/** cloud path (under images/) → SVG */
export const DEMO_IMAGES = {
  'lip-balm.svg': picture(
    ['#FBEFF3', '#F3D6E0'],
    `<rect x="255" y="120" width="90" height="170" rx="20" fill="#E87C9A"/><rect x="240" y="280" width="120" height="240" rx="18" fill="${BRAND}"/><rect x="252" y="300" width="24" height="200" rx="12" fill="url(#shine)"/><rect x="240" y="370" width="120" height="14" fill="${GOLD}"/>`,
  ),
  'mask-box.svg': picture(
    ['#EEF6F4', '#D5EAE4'],
    `<rect x="130" y="200" width="340" height="300" rx="24" fill="#FFFFFF"/><rect x="130" y="200" width="340" height="80" rx="24" fill="#5FA89A"/><circle cx="300" cy="380" r="70" fill="#CFE7E1"/><circle cx="275" cy="365" r="8" fill="#5FA89A"/><circle cx="325" cy="365" r="8" fill="#5FA89A"/><path d="M270 400 Q300 420 330 400" stroke="#5FA89A" stroke-width="8" fill="none" stroke-linecap="round"/>`,
  ),
  'serum.svg': picture(
    ['#FFF6EC', '#F4DEC3'],
    `<rect x="270" y="110" width="60" height="90" rx="14" fill="#3B2A22"/><rect x="285" y="190" width="30" height="30" fill="${GOLD}"/><rect x="210" y="215" width="180" height="290" rx="40" fill="#8A4B2A"/><rect x="228" y="240" width="30" height="240" rx="15" fill="url(#shine)"/><rect x="235" y="320" width="130" height="90" rx="10" fill="#F4DEC3"/>`,
  ),
  'cleanser.svg': picture(
    ['#EEF3FB', '#D7E2F4'],
    `<path d="M220 150 L380 150 L360 470 Q300 500 240 470 Z" fill="#FFFFFF"/><rect x="250" y="470" width="100" height="50" rx="10" fill="#6C8CC9"/><rect x="240" y="200" width="120" height="110" rx="12" fill="#6C8CC9"/><circle cx="300" cy="255" r="30" fill="#FFFFFF"/>`,
  ),
  'sunscreen.svg': picture(
    ['#FFF8E6', '#FBE7B5'],
    `<circle cx="430" cy="150" r="60" fill="#F5B942"/><rect x="230" y="190" width="140" height="320" rx="30" fill="#FFFFFF"/><rect x="255" y="140" width="90" height="60" rx="12" fill="#F08A3C"/><rect x="230" y="300" width="140" height="70" fill="#F08A3C"/>`,
  ),
  'lipstick.svg': picture(
    ['#FBEFF3', '#F0CCD8'],
    `<g transform="rotate(-12 240 330)"><rect x="200" y="300" width="80" height="200" rx="10" fill="#2E1F27"/><rect x="200" y="290" width="80" height="24" fill="${GOLD}"/><path d="M212 290 L212 200 L268 170 L268 290 Z" fill="#C2185B"/></g><g transform="rotate(10 370 330)"><rect x="330" y="300" width="80" height="200" rx="10" fill="#2E1F27"/><rect x="330" y="290" width="80" height="24" fill="${GOLD}"/><path d="M342 290 L342 200 L398 170 L398 290 Z" fill="#E5533D"/></g>`,
  ),
  'coupon.svg': picture(
    ['#FBEFF3', '#F3D6E0'],
    `<path d="M110 200 H490 V270 A30 30 0 0 0 490 330 V400 H110 V330 A30 30 0 0 0 110 270 Z" fill="${BRAND}"/><line x1="360" y1="215" x2="360" y2="385" stroke="#FFFFFF" stroke-width="6" stroke-dasharray="14 12"/><circle cx="230" cy="300" r="58" fill="none" stroke="${GOLD}" stroke-width="14"/><rect x="400" y="270" width="50" height="60" rx="8" fill="${GOLD}"/>`,
  ),
} satisfies Record<string, string>

/** The environment the local functions run in (TCB_ENV), whose bucket the demo pictures go to. */
export const DEMO_ENV = 'local'

/** The file id a demo picture has once the seed put it in storage. */
export function demoImageId(name: keyof typeof DEMO_IMAGES & string): string {
  return `cloud://${DEMO_ENV}.${bucketOf(DEMO_ENV)}/images/${name}`
}
