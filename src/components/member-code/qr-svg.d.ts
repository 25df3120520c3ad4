/** Types for qr-svg.js (plain JS shared by the native component and the H5 React component). */
export declare function qrMatrix(text: string): boolean[][]
export declare function matrixToSvg(matrix: boolean[][]): string
export declare function svgDataUrl(svg: string): string
export declare function memberCodeImage(code: string): string
export declare function groupCode(code: string): string
export declare function secondsLeft(expiresAt: number, now: number): number
