/** @jest-environment jsdom */
/**
 * The native <member-code> custom component, as the weapp BUILD OUTPUT ships it
 * (dist/weapp/components/member-code/*), rendered with miniprogram-simulate.
 */
import fs from 'node:fs'
import path from 'node:path'
import { decodeModules, decodeQrSrc } from '../support/qr-decode'

const simulate = require('miniprogram-simulate') as {
  load(componentPath: string, tagName: string, options?: Record<string, unknown>): string
  load(definition: Record<string, unknown>): string
  render(id: string, properties?: Record<string, unknown>): SimulatedComponent
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

/** Member codes as domain/shared/scan-code.ts draws them: 18 digits, the first 8. */
const CODE_A = '803918274650129384'
const CODE_B = '857201938475610293'
const NOW = Date.UTC(2024, 10, 25, 2, 0, 0)

/** A QR symbol of version v is 17 + 4v modules wide (ISO/IEC 18004); the SVG adds 2 quiet modules each side. */
const symbolSize = (version: number) => 17 + 4 * version

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
    throw new Error(`The weapp build output is missing (${path.relative(process.cwd(), COMPONENT)}.js). Run \`npm run build:weapp\` first.`)
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
  test('the QR image is an SVG data URL that an independent decoder (jsQR) reads back as the code', () => {
    jest.useFakeTimers({ now: NOW })
    const component = simulate.render(componentId, { code: CODE_A, expiresAt: NOW + 60_000 })
    component.attach(document.createElement('parent-wrapper'))

    const qr = decodeQrSrc(imageSrc(component))
    expect(qr.data).toBe(CODE_A)
    expect(qr.version).toBe(1) // 18 digits in numeric mode: the smallest, least dense symbol
    expect(qr.size).toBe(symbolSize(qr.version) + 4) // 2-module quiet zone each side
    // the quiet zone is empty: the two outer rows and columns hold no dark module
    const edge = [0, 1, qr.size - 2, qr.size - 1]
    for (const i of edge) {
      expect(qr.modules[i].some(Boolean)).toBe(false)
      expect(qr.modules.some((row) => row[i])).toBe(false)
    }
    component.detach()
  })

  test('the decoder check is not a rubber stamp: a symbol with broken codewords does not read as the code', () => {
    jest.useFakeTimers({ now: NOW })
    const component = simulate.render(componentId, { code: CODE_A, expiresAt: NOW + 60_000 })
    component.attach(document.createElement('parent-wrapper'))
    const { modules, size } = decodeQrSrc(imageSrc(component))

    // What an encoder bug in the data region looks like: the lower-right codewords flipped,
    // beyond what error correction level M (about 15 %) repairs; finder patterns stay intact.
    const broken = modules.map((row, y) => row.map((dark, x) => (x > size / 2 && y > size / 2 && (x + y) % 2 === 0 ? !dark : dark)))
    expect(decodeModules(broken)?.data).not.toBe(CODE_A)
    // and one flipped module (a smudge) is still read: the bitmap path is not over-strict
    const smudged = modules.map((row) => [...row])
    smudged[size - 6][size - 6] = !smudged[size - 6][size - 6]
    expect(decodeModules(smudged)?.data).toBe(CODE_A)
    component.detach()
  })

  test('the code is printed in groups of four, for reading', () => {
    jest.useFakeTimers({ now: NOW })
    const component = simulate.render(componentId, { code: CODE_A, expiresAt: NOW + 60_000 })
    component.attach(document.createElement('parent-wrapper'))

    const shown = text(component, '#member-code-text')
    expect(shown).toBe('8039 1827 4650 1293 84')
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
    expect(decodeQrSrc(imageSrc(component)).data).toBe(CODE_B)
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

describe('the QR encoder is a dependency, not a copy', () => {
  const ROOT = path.resolve(__dirname, '../..')
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))

  test('qrcode-generator is a runtime dependency and qr-svg.js requires it by name', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>
    expect(pkg.dependencies?.['qrcode-generator']).toBeDefined()
    expect(pkg.devDependencies?.['qrcode-generator']).toBeUndefined()
    expect(fs.readFileSync(path.join(ROOT, 'src/components/member-code/qr-svg.js'), 'utf8')).toContain("require('qrcode-generator')")
  })

  test('no file under src/ carries the library itself', () => {
    const copies = files(path.join(ROOT, 'src')).filter((file) => /\.(js|ts|tsx)$/.test(file) && fs.readFileSync(file, 'utf8').includes('QR Code Generator for JavaScript'))
    expect(copies).toEqual([])
  })
})

/**
 * Reads the barcode <image> back: bars from the SVG path, spaces from the gaps between them,
 * six widths per symbol (seven for the stop), symbols → digit pairs (code set C), and the
 * mod-103 check. Answers the digits and the number of data symbols.
 * The width table is checked against the standard's own invariants, not just against itself.
 */
function readBarcode(src: string): { text: string; symbols: number } {
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
  expect(values[0]).toBe(105) // start code C
  const data = values.slice(1, -1)
  const check = values[values.length - 1]
  expect(check).toBe(data.reduce((sum, value, i) => sum + value * (i + 1), 105) % 103)
  return { text: data.map((value) => String(value).padStart(2, '0')).join(''), symbols: data.length }
}

const { PATTERNS } = require('../../src/components/member-code/barcode-svg.js') as { PATTERNS: string[] }

function barcodeSrc(component: SimulatedComponent): string {
  const node = component.querySelector('#member-code-barcode')
  if (!node) throw new Error('no #member-code-barcode image')
  return String(node.data.src ?? '')
}

describe('barcode under the QR (Code 128)', () => {
  test('the width table keeps the standard invariants: 11 modules, even bars, odd spaces, all distinct', () => {
    expect(PATTERNS).toHaveLength(107)
    expect(new Set(PATTERNS).size).toBe(107)
    PATTERNS.slice(0, 106).forEach((pattern) => {
      const w = [...pattern].map(Number)
      expect(w.reduce((a, b) => a + b, 0)).toBe(11)
      expect((w[0] + w[2] + w[4]) % 2).toBe(0)
      expect((w[1] + w[3] + w[5]) % 2).toBe(1)
    })
    // a few symbols spelled out in ISO/IEC 15417: 00, 16, 33, start C, stop
    expect([PATTERNS[0], PATTERNS[16], PATTERNS[33], PATTERNS[105], PATTERNS[106]]).toEqual(['212222', '123122', '111323', '211232', '2331112'])
  })

  test('the native component draws the same code as a barcode in set C (9 symbols for 18 digits), and redraws it for a new code', () => {
    jest.useFakeTimers({ now: NOW })
    const component = simulate.render(componentId, { code: CODE_A, expiresAt: NOW + 60_000 })
    component.attach(document.createElement('parent-wrapper'))
    expect(readBarcode(barcodeSrc(component))).toEqual({ text: CODE_A, symbols: 9 })

    component.setData({ code: CODE_B, expiresAt: NOW + 60_000 })
    expect(readBarcode(barcodeSrc(component))).toEqual({ text: CODE_B, symbols: 9 })
    component.detach()
  })
})
