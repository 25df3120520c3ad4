import type { UserConfigExport } from '@tarojs/cli'

/** Production builds: minified; no bundle analyser or anything that opens a port or the network. */
export default {
  mini: {},
  h5: {},
} satisfies UserConfigExport<'webpack5'>
