import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

/**
 * Taro build configuration for the two targets we ship:
 *  - weapp → dist/weapp (opened by WeChat DevTools, see project.config.json)
 *  - h5    → dist/h5    (served by the local emulator for development and browser tests)
 *
 * Everything here must work offline: no telemetry, no remote cache, no CDN assets.
 */
export default defineConfig<'webpack5'>(async (merge) => {
  const taroEnv = process.env.TARO_ENV ?? 'weapp'
  const cloudEnvId = process.env.CLOUDBASE_ENV_ID || 'scrm-prod-env'
  // domain/ is shared pure TypeScript outside src/: Taro must transpile it too.
  const domainDir = path.resolve(__dirname, '..', 'domain')

  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'scrm-weapp',
    date: '2024-11-25',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    outputRoot: `dist/${taroEnv}`,
    plugins: [],
    defineConstants: {
      CLOUD_ENV_ID: JSON.stringify(cloudEnvId),
    },
    alias: {
      '@domain': domainDir,
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    // No persistent cache: builds are reproducible and nothing is written outside dist/.
    cache: { enable: false },
    logger: { quiet: true, stats: false },
    mini: {
      compile: { include: [domainDir] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      compile: { include: [domainDir] },
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      // The H5 build is for local development and browser tests, not a public site: no size nagging.
      webpackChain(chain) {
        chain.performance.hints(false)
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  }

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})
