/**
 * Member code → QR module matrix → SVG → data URL.
 *
 * Plain ES5 CommonJS on purpose: the native mini-program component (index.js) requires it
 * as-is, and the H5 React component imports the same file, so both draw the same code.
 *
 * The encoder is the `qrcode-generator` package (a runtime dependency), not a copy: Taro's
 * weapp build compiles native components listed in `usingComponents` through webpack, so this
 * bare `require` is resolved from node_modules and bundled into dist/weapp (common.js, shared
 * with the trade subpackage's code view); the H5 build bundles it the same way.
 */
var qrcode = require('qrcode-generator')

/** Quiet zone around the symbol, in modules (the card around it is white as well). */
var QUIET_ZONE = 2
var DARK = '#2B2326'
var LIGHT = '#FFFFFF'

/**
 * Rows of booleans (true = dark module) for `text`, error correction M, smallest version that fits.
 * Digits only go in numeric mode: an 18-digit code is version 1 (21 × 21 modules), the least dense.
 */
function qrMatrix(text) {
  var qr = qrcode(0, 'M')
  var value = String(text)
  qr.addData(value, /^\d+$/.test(value) ? 'Numeric' : 'Byte')
  qr.make()
  var count = qr.getModuleCount()
  var rows = []
  for (var row = 0; row < count; row++) {
    var cells = []
    for (var col = 0; col < count; col++) cells.push(qr.isDark(row, col))
    rows.push(cells)
  }
  return rows
}

/**
 * One <path>; every horizontal run of dark modules is a rectangle `M{x} {y}h{n}v1h-{n}z`,
 * one unit per module (viewBox in modules), so the sum of the runs is the dark-module count.
 */
function matrixToSvg(matrix) {
  var count = matrix.length
  var size = count + QUIET_ZONE * 2
  var d = ''
  for (var y = 0; y < count; y++) {
    var row = matrix[y]
    var x = 0
    while (x < count) {
      if (!row[x]) {
        x++
        continue
      }
      var start = x
      while (x < count && row[x]) x++
      var run = x - start
      d += 'M' + (start + QUIET_ZONE) + ' ' + (y + QUIET_ZONE) + 'h' + run + 'v1h-' + run + 'z'
    }
  }
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' +
    size +
    ' ' +
    size +
    '" width="' +
    size * 8 +
    '" height="' +
    size * 8 +
    '" shape-rendering="crispEdges"><rect width="' +
    size +
    '" height="' +
    size +
    '" fill="' +
    LIGHT +
    '"/><path fill="' +
    DARK +
    '" d="' +
    d +
    '"/></svg>'
  )
}

var BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Base64 of an ASCII string (SVG markup here) without btoa, which mini-programs lack. */
function base64Ascii(text) {
  var out = ''
  for (var i = 0; i < text.length; i += 3) {
    var a = text.charCodeAt(i) & 0xff
    var hasB = i + 1 < text.length
    var hasC = i + 2 < text.length
    var b = hasB ? text.charCodeAt(i + 1) & 0xff : 0
    var c = hasC ? text.charCodeAt(i + 2) & 0xff : 0
    var triple = (a << 16) | (b << 8) | c
    out += BASE64.charAt((triple >> 18) & 63) + BASE64.charAt((triple >> 12) & 63)
    out += hasB ? BASE64.charAt((triple >> 6) & 63) : '='
    out += hasC ? BASE64.charAt(triple & 63) : '='
  }
  return out
}

/** `data:image/svg+xml;base64,…` — base64 because <image> on some WeChat clients rejects %-encoded SVG. */
function svgDataUrl(svg) {
  return 'data:image/svg+xml;base64,' + base64Ascii(svg)
}

/** The image src for a member code ('' for no code). */
function memberCodeImage(code) {
  return code ? svgDataUrl(matrixToSvg(qrMatrix(code))) : ''
}

/**
 * Groups of four for reading aloud or typing: `812345678901234567` → `8123 4567 8901 2345 67`.
 * Removing the spaces gives the code back (the server ignores them).
 */
function groupCode(code) {
  var text = String(code || '')
  var groups = []
  for (var i = 0; i < text.length; i += 4) groups.push(text.slice(i, i + 4))
  return groups.join(' ')
}

/** Whole seconds until `expiresAt` (ms since epoch), never negative. */
function secondsLeft(expiresAt, now) {
  if (!expiresAt) return 0
  return Math.max(0, Math.ceil((expiresAt - now) / 1000))
}

module.exports = {
  qrMatrix: qrMatrix,
  matrixToSvg: matrixToSvg,
  svgDataUrl: svgDataUrl,
  memberCodeImage: memberCodeImage,
  groupCode: groupCode,
  secondsLeft: secondsLeft,
}
