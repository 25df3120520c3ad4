/**
 * Reads a member-code QR back the way a scanner would: the SVG data URL the app renders →
 * a bitmap of its modules → `jsqr`, a decoder written independently of the encoder
 * (`qrcode-generator`), so an encoder bug (wrong mask, format bits, codewords, module order)
 * shows up as a failed or wrong decode instead of agreeing with itself.
 */
import jsQR from 'jsqr'

export interface ParsedQrSvg {
  svg: string
  /** viewBox width = height, in modules (symbol plus quiet zone). */
  size: number
  /** rows × cols, true = dark, over the whole viewBox. */
  modules: boolean[][]
  /** number of dark modules the path draws. */
  dark: number
}

export interface DecodedQr {
  data: string
  version: number
}

const PREFIX = 'data:image/svg+xml;base64,'

/**
 * Parses the SVG the member code renders: one white <rect> the size of the viewBox and one
 * dark <path> made only of one-module-high runs `M{x} {y}h{n}v1h-{n}z`. Anything else fails.
 */
export function parseQrSvg(src: string): ParsedQrSvg {
  if (!src.startsWith(PREFIX)) throw new Error(`not an SVG data URL: ${src.slice(0, 40)}`)
  const svg = Buffer.from(src.slice(PREFIX.length), 'base64').toString('utf8')
  if (!/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(svg)) throw new Error('not an SVG document')
  const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)
  if (!viewBox || viewBox[1] !== viewBox[2]) throw new Error('the QR viewBox is not square')
  const size = Number(viewBox[1])
  const rect = /<rect width="(\d+)" height="(\d+)" fill="#FFFFFF"\/>/i.exec(svg)
  if (!rect || Number(rect[1]) !== size || Number(rect[2]) !== size) throw new Error('no white background covering the viewBox')
  const path = /<path fill="(#[0-9A-Fa-f]{6})" d="([^"]*)"\/>/.exec(svg)
  if (!path) throw new Error('no dark <path>')
  const [, fill, d] = path
  if (luminance(fill) > 0.35) throw new Error(`the modules' colour ${fill} is not dark enough to scan`)
  if (d.replace(/M\d+ \d+h(\d+)v1h-\1z/g, '') !== '') throw new Error('the path holds something other than module runs')

  const modules = Array.from({ length: size }, () => new Array<boolean>(size).fill(false))
  let dark = 0
  for (const run of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    const [x, y, n] = [Number(run[1]), Number(run[2]), Number(run[3])]
    if (y >= size || x + n > size) throw new Error(`run at ${x},${y} leaves the viewBox`)
    for (let i = 0; i < n; i++) {
      if (modules[y][x + i]) throw new Error(`module ${x + i},${y} drawn twice`)
      modules[y][x + i] = true
    }
    dark += n
  }
  return { svg, size, modules, dark }
}

/**
 * The modules as an RGBA bitmap, `scale` pixels per module, with `margin` extra white modules
 * around (the white card the code sits on), then decoded by jsQR. null when it cannot decode.
 */
export function decodeModules(modules: boolean[][], { scale = 4, margin = 2 } = {}): DecodedQr | null {
  const side = (modules.length + margin * 2) * scale
  const rgba = new Uint8ClampedArray(side * side * 4).fill(255)
  modules.forEach((row, y) =>
    row.forEach((isDark, x) => {
      if (!isDark) return
      for (let py = 0; py < scale; py++) {
        for (let px = 0; px < scale; px++) {
          const offset = (((y + margin) * scale + py) * side + (x + margin) * scale + px) * 4
          rgba[offset] = rgba[offset + 1] = rgba[offset + 2] = 0
        }
      }
    }),
  )
  const result = jsQR(rgba, side, side, { inversionAttempts: 'dontInvert' })
  return result ? { data: result.data, version: result.version } : null
}

/** parseQrSvg + decodeModules, for an <image>/<img> src. */
export function decodeQrSrc(src: string): DecodedQr & ParsedQrSvg {
  const parsed = parseQrSvg(src)
  const decoded = decodeModules(parsed.modules)
  if (!decoded) throw new Error('jsQR could not decode the rendered QR')
  return { ...parsed, ...decoded }
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}
