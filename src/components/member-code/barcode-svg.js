/**
 * Member code → Code 128 → SVG → data URL: the barcode under the QR code, for the counter's
 * laser scanners that cannot read QR.
 *
 * Plain ES5 CommonJS, like qr-svg.js: the native component requires it as-is and the H5
 * React view imports the same file.
 *
 * A member code is 18 digits (domain/shared/scan-code.ts), so it is drawn in code set C: start C
 * (105), one symbol per pair of digits (value = the pair, 00–99; half the symbols of set B), the
 * check symbol ((105 + Σ value × position) mod 103) and the stop (106) with its termination bar.
 */
var svg = require('./qr-svg.js')

/** Bar/space widths in modules for symbol values 0–106, bar first (ISO/IEC 15417 table). */
var PATTERNS = [
  '212222',
  '222122',
  '222221',
  '121223',
  '121322',
  '131222',
  '122213',
  '122312',
  '132212',
  '221213',
  '221312',
  '231212',
  '112232',
  '122132',
  '122231',
  '113222',
  '123122',
  '123221',
  '223211',
  '221132',
  '221231',
  '213212',
  '223112',
  '312131',
  '311222',
  '321122',
  '321221',
  '312212',
  '322112',
  '322211',
  '212123',
  '212321',
  '232121',
  '111323',
  '131123',
  '131321',
  '112313',
  '132113',
  '132311',
  '211313',
  '231113',
  '231311',
  '112133',
  '112331',
  '132131',
  '113123',
  '113321',
  '133121',
  '313121',
  '211331',
  '231131',
  '213113',
  '213311',
  '213131',
  '311123',
  '311321',
  '331121',
  '312113',
  '312311',
  '332111',
  '314111',
  '221411',
  '431111',
  '111224',
  '111422',
  '121124',
  '121421',
  '141122',
  '141221',
  '112214',
  '112412',
  '122114',
  '122411',
  '142112',
  '142211',
  '241211',
  '221114',
  '413111',
  '241112',
  '134111',
  '111242',
  '121142',
  '121241',
  '114212',
  '124112',
  '124211',
  '411212',
  '421112',
  '421211',
  '212141',
  '214121',
  '412121',
  '111143',
  '111341',
  '131141',
  '114113',
  '114311',
  '411113',
  '411311',
  '113141',
  '114131',
  '311141',
  '411131',
  '211412',
  '211214',
  '211232',
  '2331112',
]

var START_C = 105
var STOP = 106
/** Quiet zone each side, in modules (the standard asks for at least 10). */
var QUIET_ZONE = 10
/** Bar height in modules; the image is stretched to its box (preserveAspectRatio="none"). */
var HEIGHT = 60
var DARK = '#2B2326'
var LIGHT = '#FFFFFF'

/** Symbol values for `text` (an even number of digits): start C, the pairs, check and stop. */
function code128Values(text) {
  var digits = String(text)
  if (!/^(\d\d)+$/.test(digits)) throw new Error('Code 128-C encodes an even number of digits, not ' + digits)
  var values = [START_C]
  var sum = START_C
  for (var i = 0; i < digits.length / 2; i++) {
    var pair = Number(digits.slice(i * 2, i * 2 + 2))
    values.push(pair)
    sum += pair * (i + 1)
  }
  values.push(sum % 103)
  values.push(STOP)
  return values
}

/** Element widths (bar, space, bar, …; starts and ends with a bar) for `text`. */
function code128Widths(text) {
  var values = code128Values(text)
  var widths = []
  for (var i = 0; i < values.length; i++) {
    var pattern = PATTERNS[values[i]]
    for (var j = 0; j < pattern.length; j++) widths.push(Number(pattern.charAt(j)))
  }
  return widths
}

/** One <path> of bars; viewBox in modules, quiet zone included. */
function barsToSvg(widths) {
  var total = 0
  for (var i = 0; i < widths.length; i++) total += widths[i]
  var size = total + QUIET_ZONE * 2
  var x = QUIET_ZONE
  var d = ''
  for (var k = 0; k < widths.length; k++) {
    if (k % 2 === 0) d += 'M' + x + ' 0h' + widths[k] + 'v' + HEIGHT + 'h-' + widths[k] + 'z'
    x += widths[k]
  }
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' +
    size +
    ' ' +
    HEIGHT +
    '" width="' +
    size * 4 +
    '" height="' +
    HEIGHT * 4 +
    '" preserveAspectRatio="none" shape-rendering="crispEdges"><rect width="' +
    size +
    '" height="' +
    HEIGHT +
    '" fill="' +
    LIGHT +
    '"/><path fill="' +
    DARK +
    '" d="' +
    d +
    '"/></svg>'
  )
}

/** The image src of the barcode for a member code ('' for no code). */
function memberBarcodeImage(code) {
  return code ? svg.svgDataUrl(barsToSvg(code128Widths(code))) : ''
}

module.exports = {
  PATTERNS: PATTERNS,
  QUIET_ZONE: QUIET_ZONE,
  code128Values: code128Values,
  code128Widths: code128Widths,
  barsToSvg: barsToSvg,
  memberBarcodeImage: memberBarcodeImage,
}
