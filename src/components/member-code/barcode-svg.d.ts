/** Types for barcode-svg.js (plain JS shared by the native component and the H5 React component). */
export declare const PATTERNS: readonly string[]
export declare const QUIET_ZONE: number
export declare function code128Values(text: string): number[]
export declare function code128Widths(text: string): number[]
export declare function barsToSvg(widths: number[]): string
export declare function memberBarcodeImage(code: string): string
