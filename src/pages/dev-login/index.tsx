import { View } from '@tarojs/components'
import { Button } from '../../components/button'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { EmptyState, ErrorState, LoadingState } from '../../components/page-state'
import { routeUrl } from '../../routes'
import { devAuthService, type Persona } from '../../services/dev-auth'
import { describeError } from '../../services/errors'
import type { DevSession } from '../../services/session'
import './index.scss'
import { flag } from '../../lib/flag'

type View = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; personas: Persona[]; busy: Persona['id'] | null; loginError: unknown }

/** After login: visitor → join (with the channel scene), member → card tab, clerk or manager → staff home. */
function landingUrl(session: DevSession): string {
  switch (session.persona) {
    case 'visitor':
      return routeUrl('join', { scene: session.scene })
    case 'clerk':
    case 'manager':
      return routeUrl('staffHome')
    default:
      return routeUrl('card')
  }
}

function H5Login() {
  const [view, setView] = useState<View>({ kind: 'loading' })

  async function load() {
    setView({ kind: 'loading' })
    try {
      const personas = await devAuthService.personas()
      setView({ kind: 'ready', personas, busy: null, loginError: null })
    } catch (error) {
      setView({ kind: 'error', error })
    }
  }

  async function login(persona: Persona['id']) {
    if (view.kind !== 'ready' || view.busy) return
    setView({ ...view, busy: persona, loginError: null })
    try {
      const session = await devAuthService.login(persona)
      await Taro.reLaunch({ url: landingUrl(session) })
    } catch (error) {
      setView((current) => (current.kind === 'ready' ? { ...current, busy: null, loginError: error } : current))
    }
  }

  useDidShow(() => {
    if (view.kind !== 'ready') void load()
  })

  return (
    <View className='page page--white dev-login'>
      <View className='dev-login__head'>
        <View className='dev-login__brand'>花漾美妆</View>
        <View className='dev-login__title'>选择一个演示身份</View>
        <View className='dev-login__text'>本地开发环境：选择身份后即以该身份调用本地云函数模拟器</View>
      </View>

      {view.kind === 'loading' && <LoadingState text='正在读取演示身份…' />}
      {view.kind === 'error' && <ErrorState error={view.error} onRetry={() => void load()} />}
      {view.kind === 'ready' && view.personas.length === 0 && (
        <EmptyState title='没有可用的演示身份' hint='请确认本地模拟器已启动并加载了种子数据'>
          <Button className='btn btn--ghost btn--small' onClick={() => void load()}>
            重新读取
          </Button>
        </EmptyState>
      )}
      {view.kind === 'ready' && view.personas.length > 0 && (
        <View className='dev-login__list'>
          {view.personas.map((persona) => (
            <Button
              key={persona.id}
              className={`persona persona-${persona.id}`}
              id={`persona-${persona.id}`}
              disabled={flag(view.busy !== null)}
              loading={flag(view.busy === persona.id)}
              onClick={() => void login(persona.id)}
            >
              <View className='persona__label'>{persona.label}</View>
              <View className='persona__description'>{persona.description}</View>
            </Button>
          ))}
          {view.loginError ? (
            <View className='notice notice--error' id='login-error'>
              登录失败：{describeError(view.loginError)}
            </View>
          ) : null}
        </View>
      )}
      <View className='dev-login__console'>
        {/* the emulator's console (emulator/console.ts): collections, admin actions, timers, clock, WeChat records */}
        <Button className='btn btn--ghost btn--small' id='console-link' onClick={() => window.location.assign('/console')}>
          打开本地控制台
        </Button>
        <View className='dev-login__text'>管理员在云开发控制台做的事：查看和编辑数据、运行管理操作、触发定时任务、调整时钟</View>
      </View>
    </View>
  )
}

function WeappNotice() {
  return (
    <View className='page page--white dev-login'>
      <EmptyState title='此页面仅用于本地开发' hint='在小程序中，你的身份由微信自动识别，无需选择' />
    </View>
  )
}

export default function DevLoginPage() {
  return process.env.TARO_ENV === 'h5' ? <H5Login /> : <WeappNotice />
}
