/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.gif'
declare module '*.jpg'
declare module '*.jpeg'
declare module '*.svg'
declare module '*.css'
declare module '*.scss'
declare module '*.sass'

/** CloudBase environment id, injected at build time from CLOUDBASE_ENV_ID (config/index.ts). */
declare const CLOUD_ENV_ID: string

declare namespace NodeJS {
  interface ProcessEnv {
    /** the platform being built; Taro replaces it with a literal at build time */
    TARO_ENV?: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn'
    /** CloudBase environment id for the weapp build (config/index.ts) */
    CLOUDBASE_ENV_ID?: string
  }
}

/** Native mini-program custom components used from Taro React pages (declared in page usingComponents). */
declare namespace JSX {
  interface IntrinsicElements {
    'member-code': { code: string; 'expires-at': number; id?: string; className?: string }
  }
}
