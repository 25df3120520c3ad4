/**
 * Member code view, chosen per platform by Taro's file-suffix resolution:
 *   weapp → index.weapp.tsx (the native <member-code> custom component)
 *   h5    → index.h5.tsx    (React, same look, same qr-svg.js)
 * This file is what the type checker sees and what any other platform gets.
 */
export { default } from './index.h5'
export type { MemberCodeProps } from './types'
