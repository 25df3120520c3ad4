/**
 * <member-code code="…" expires-at="{{ms}}" />
 * Native custom component: draws the member code as a QR and, under it, a Code 128 barcode
 * (SVG data URLs in <image>s), prints the code in groups of four, and counts down to the refresh.
 * The page owns refreshing (it asks member.card again); this component only displays.
 */
var qrSvg = require('./qr-svg.js')
var barcodeSvg = require('./barcode-svg.js')

Component({
  options: {
    addGlobalClass: false,
  },

  properties: {
    code: { type: String, value: '' },
    expiresAt: { type: Number, value: 0 },
  },

  data: {
    src: '',
    barSrc: '',
    grouped: '',
    seconds: 0,
    expired: false,
  },

  observers: {
    code: function (code) {
      this._draw(code)
    },
    expiresAt: function () {
      this._tick()
    },
  },

  lifetimes: {
    attached: function () {
      var self = this
      if (this.data.code && !this.data.src) this._draw(this.data.code)
      this._tick()
      this._timer = setInterval(function () {
        self._tick()
      }, 1000)
    },
    detached: function () {
      if (this._timer) clearInterval(this._timer)
      this._timer = null
    },
  },

  methods: {
    _draw: function (code) {
      this.setData({
        src: qrSvg.memberCodeImage(code),
        barSrc: barcodeSvg.memberBarcodeImage(code),
        grouped: qrSvg.groupCode(code),
      })
    },
    _tick: function () {
      var seconds = qrSvg.secondsLeft(this.data.expiresAt, Date.now())
      var expired = Boolean(this.data.code) && seconds === 0
      if (seconds !== this.data.seconds || expired !== this.data.expired) {
        this.setData({ seconds: seconds, expired: expired })
      }
    },
  },
})
