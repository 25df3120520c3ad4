/** @jest-environment jsdom */
/**
 * The native <member-code> custom component, as the weapp BUILD OUTPUT ships it
 * (dist/weapp/components/member-code/*), rendered with miniprogram-simulate.
 */
import fs from 'node:fs'
import path from 'node:path'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const simulate = require('miniprogram-simulate') as {
  load(componentPath: string, tagName: string, options?: Record<string, unknown>): string
  load(definition: Record<string, unknown>): string
  render(id: string, properties?: Record<string, unknown>): SimulatedComponent
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const qrcode = require('qrcode-generator') as (type: number, level: 'L' | 'M' | 'Q' | 'H') => {
  addData(text: string, mode?: string): void
  make(): void
  getModuleCount(): number
  isDark(row: number, col: number): boolean
}

interface SimulatedNode {
  dom: HTMLElement
  data: Record<string, unknown>
}
interface SimulatedComponent {
  dom: HTMLElement
  data: Record<string, unknown>
  attach(parent: HTMLElement): void
  detach(): void
  setData(data: Record<string, unknown>): void
  querySelector(selector: string): SimulatedNode | null
}

const DIST = path.resolve(__dirname, '../../dist/weapp')
const COMPONENT = path.join(DIST, 'components/member-code/index')

/** A code in the shape domain/member-code.ts signs: <memberNo>.<expiry base36>.<signature>. */
const CODE_A = '20240001.smq3k0.Q2x9-aB7_dE4fG1h'
const CODE_B = '20240002.smq3l8.Zz0_yY1-xX2wW3vV'
const NOW = Date.UTC(2024, 10, 25, 2, 0, 0)

function expectedDarkModules(code: string): { count: number; modules: number } {
  const qr = qrcode(0, 'M')
  qr.addData(code, 'Byte')
  qr.make()
  const modules = qr.getModuleCount()
  let count = 0
  for (let row = 0; row < modules; row++) for (let col = 0; col < modules; col++) if (qr.isDark(row, col)) count++
  return { count, modules }
}

/** Decode the <image> src and count the dark modules its path draws (each run `M x y h n v1 h-n z` is n modules). */
function readQr(src: string): { svg: string; dark: number; viewBoxSize: number } {
  const prefix = 'data:image/svg+xml;base64,'
  expect(src.startsWith(prefix)).toBe(true)
  const svg = Buffer.from(src.slice(prefix.length), 'base64').toString('utf8')
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
  const d = /<path[^>]* d="([^"]*)"/.exec(svg)?.[1] ?? ''
  let dark = 0
  for (const run of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    expect(run[3]).toBe(run[4])
    dark += Number(run[3])
  }
  // every path command is a run: nothing else hides in the path
  expect(d.replace(/M\d+ \d+h(\d+)v1h-\1z/g, '')).toBe('')
  const viewBoxSize = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1])
  return { svg, dark, viewBoxSize }
}

function text(component: SimulatedComponent, selector: string): string {
  const node = component.querySelector(selector)
  if (!node) throw new Error(`no element ${selector}`)
  return (node.dom.textContent ?? '').replace(/\s+/g, ' ').trim()
}

/** The `src` the WXML bound on the <image> (see the image stand-in registered in beforeAll). */
function imageSrc(component: SimulatedComponent): string {
  const node = component.querySelector('.member-code__qr')
  if (!node) throw new Error('no .member-code__qr image')
  return String(node.data.src ?? '')
}

let componentId = ''

beforeAll(() => {
  if (!fs.existsSync(`${COMPONENT}.js`) || !fs.existsSync(path.join(DIST, 'runtime.js'))) {
    throw new Error(
      `The weapp build output is missing (${path.relative(process.cwd(), COMPONENT)}.js). Run \`npm run build:weapp\` first.`,
    )
  }
  // miniprogram-simulate's built-in <image> is a bare slot; give it the real component's
  // `src`/`mode` properties so the test can read what the WXML binds to them.
  simulate.load({
    id: 'image',
    tagName: 'wx-image',
    template: '<slot/>',
    properties: { src: { type: String, value: '' }, mode: { type: String, value: 'scaleToFill' } },
  })
  // Taro's weapp chunks register through wx.webpackJsonp, which the app's runtime.js installs;
  // in WeChat app.js loads it and the shared chunks before any component, so the test does the
  // same (common.js holds the QR builder once it is shared with the trade subpackage's code view).
  require(path.join(DIST, 'runtime.js'))
  for (const chunk of ['vendors.js', 'common.js']) if (fs.existsSync(path.join(DIST, chunk))) require(path.join(DIST, chunk))
  componentId = simulate.load(COMPONENT, 'member-code', { compiler: 'simulate', rootPath: DIST })
})

afterEach(() => {
  jest.useRealTimers()
})

describe('native member-code component (weapp build output)', () => {
  test('the QR image is an SVG data URL with exactly the dark modules of the code', () => {
    jest.useFakeTimers({ now: NOW })
    const component = simulate.render(componentId, { code: CODE_A, expiresAt: NOW + 60_000 })
    component.attach(document.createElement('parent-wrapper'))

    const expected = expectedDarkModules(CODE_A)
    const qr = readQr(imageSrc(component))
    expect(qr.dark).toBe(expected.count)
    expect(qr.viewBoxSize).toBe(expected.modules + 4) // 2-module quiet zone each side
    component.detach()
  })

  test('the code is printed in groups of four, keeping its dots, for reading', () => {
    jest.useFakeTimers({ now: NOW })
    const component = simulate.render(componentId, { code: CODE_A, expiresAt: NOW + 60_000 })
    component.attach(document.createElement('parent-wrapper'))

    const shown = text(component, '#member-code-text')
    expect(shown).toBe('2024 0001.smq3 k0.Q2x9 -aB7 _dE4 fG1h')
    expect(shown.replace(/\s/g, '')).toBe(CODE_A)
    component.detach()
  })

  test('a new code redraws the QR and the text', () => {
    jest.useFakeTimers({ now: NOW })
    const component = simulate.render(componentId, { code: CODE_A, expiresAt: NOW + 60_000 })
    component.attach(document.createElement('parent-wrapper'))
    const before = imageSrc(component)

    component.setData({ code: CODE_B, expiresAt: NOW + 60_000 })

    expect(imageSrc(component)).not.toBe(before)
    expect(readQr(imageSrc(component)).dark).toBe(expectedDarkModules(CODE_B).count)
    expect(text(component, '#member-code-text').replace(/\s/g, '')).toBe(CODE_B)
    component.detach()
  })

  test('the countdown ticks every second and says when the code has expired', () => {
    jest.useFakeTimers({ now: NOW })
    const component = simulate.render(componentId, { code: CODE_A, expiresAt: NOW + 60_000 })
    component.attach(document.createElement('parent-wrapper'))

    expect(text(component, '#member-code-countdown')).toBe('动态会员码 · 60 秒后刷新')
    jest.advanceTimersByTime(3_000)
    expect(text(component, '#member-code-countdown')).toBe('动态会员码 · 57 秒后刷新')
    jest.advanceTimersByTime(57_000)
    expect(text(component, '#member-code-countdown')).toBe('会员码已过期，请点击刷新')
    expect(component.querySelector('.member-code__mask')).not.toBeNull()

    // the page fetched a fresh code: the countdown starts again
    component.setData({ code: CODE_B, expiresAt: Date.now() + 60_000 })
    expect(text(component, '#member-code-countdown')).toBe('动态会员码 · 60 秒后刷新')
    component.detach()
  })

  test('detaching clears the countdown timer', () => {
    jest.useFakeTimers({ now: NOW })
    const component = simulate.render(componentId, { code: CODE_A, expiresAt: NOW + 60_000 })
    component.attach(document.createElement('parent-wrapper'))
    expect(jest.getTimerCount()).toBe(1)
    component.detach()
    expect(jest.getTimerCount()).toBe(0)
  })
})

/**
 * Reads the barcode <image> back: bars from the SVG path, spaces from the gaps between them,
 * six widths per symbol (seven for the stop), symbols → characters, and the mod-103 check.
 * The width table is checked against the standard's own invariants, not just against itself.
 */
function readBarcode(src: string): string {
  const prefix = 'data:image/svg+xml;base64,'
  expect(src.startsWith(prefix)).toBe(true)
  const svg = Buffer.from(src.slice(prefix.length), 'base64').toString('utf8')
  expect(svg).toContain('preserveAspectRatio="none"')
  const d = /<path[^>]* d="([^"]*)"/.exec(svg)?.[1] ?? ''
  const bars = [...d.matchAll(/M(\d+) 0h(\d+)v\d+h-(\d+)z/g)].map((m) => ({ x: Number(m[1]), w: Number(m[2]) }))
  expect(d.replace(/M\d+ 0h(\d+)v\d+h-\1z/g, '')).toBe('')
  const viewBoxWidth = Number(/viewBox="0 0 (\d+) /.exec(svg)?.[1])
  // quiet zones of at least 10 modules on both sides
  expect(bars[0].x).toBeGreaterThanOrEqual(10)
  expect(viewBoxWidth - (bars[bars.length - 1].x + bars[bars.length - 1].w)).toBeGreaterThanOrEqual(10)

  const widths: number[] = []
  bars.forEach((bar, i) => {
    if (i > 0) widths.push(bar.x - (bars[i - 1].x + bars[i - 1].w))
    widths.push(bar.w)
  })
  const symbols: string[] = []
  for (let i = 0; i < widths.length - 7; i += 6) symbols.push(widths.slice(i, i + 6).join(''))
  expect(widths.slice(-7).join('')).toBe('2331112') // stop with its termination bar
  const values = symbols.map((pattern) => {
    const value = PATTERNS.indexOf(pattern)
    expect(value).toBeGreaterThanOrEqual(0)
    return value
  })
  expect(values[0]).toBe(104) // start code B
  const data = values.slice(1, -1)
  const check = values[values.length - 1]
  expect(check).toBe(data.reduce((sum, value, i) => sum + value * (i + 1), 104) % 103)
  return String.fromCharCode(...data.map((value) => value + 32))
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PATTERNS } = require('../../src/components/member-code/barcode-svg.js') as { PATTERNS: string[] }

function barcodeSrc(component: SimulatedComponent): string {
  const node = component.querySelector('#member-code-barcode')
  if (!node) throw new Error('no #member-code-barcode image')
  return String(node.data.src ?? '')
}

describe('barcode under the QR (Code 128-B)', () => {
  test('the width table keeps the standard invariants: 11 modules, even bars, odd spaces, all distinct', () => {
    expect(PATTERNS).toHaveLength(107)
    expect(new Set(PATTERNS).size).toBe(107)
    PATTERNS.slice(0, 106).forEach((pattern) => {
      const w = [...pattern].map(Number)
      expect(w.reduce((a, b) => a + b, 0)).toBe(11)
      expect((w[0] + w[2] + w[4]) % 2).toBe(0)
      expect((w[1] + w[3] + w[5]) % 2).toBe(1)
    })
    // a few symbols spelled out in ISO/IEC 15417: space (0), "0" (16), "A" (33), start B, stop
    expect([PATTERNS[0], PATTERNS[16], PATTERNS[33], PATTERNS[104], PATTERNS[106]]).toEqual(['212222', '123122', '111323', '211214', '2331112'])
  })

  test('the native component draws the same code as a barcode, and redraws it for a new code', () => {
    jest.useFakeTimers({ now: NOW })
    const component = simulate.render(componentId, { code: CODE_A, expiresAt: NOW + 60_000 })
    component.attach(document.createElement('parent-wrapper'))
    expect(readBarcode(barcodeSrc(component))).toBe(CODE_A)

    component.setData({ code: CODE_B, expiresAt: NOW + 60_000 })
    expect(readBarcode(barcodeSrc(component))).toBe(CODE_B)
    component.detach()
  })
})
