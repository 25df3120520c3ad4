/** The local console's page (served by emulator/console.ts at /console, bundled by esbuild). */
import { useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import './app.css'
import { ActionsPage, DatabasePage, InvocationsPage, JobsPage, StoragePage, WeChatPage } from './pages'

const TABS = [
  { id: 'database', label: '数据库', page: DatabasePage },
  { id: 'actions', label: '管理操作', page: ActionsPage },
  { id: 'jobs', label: '定时任务与时钟', page: JobsPage },
  { id: 'wechat', label: '微信与支付', page: WeChatPage },
  { id: 'storage', label: '云存储', page: StoragePage },
  { id: 'invocations', label: '调用日志', page: InvocationsPage },
] as const

type TabId = (typeof TABS)[number]['id']

function tabOfHash(): TabId {
  const id = window.location.hash.slice(1)
  return TABS.some((tab) => tab.id === id) ? (id as TabId) : 'database'
}

function Console() {
  const [tab, setTab] = useState<TabId>(tabOfHash)
  useEffect(() => {
    const onHash = () => setTab(tabOfHash())
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  const Page = TABS.find((one) => one.id === tab)!.page
  return (
    <div className='console'>
      <header>
        <h1>本地控制台</h1>
        <span className='muted'>云开发模拟器 · 仅本机可用</span>
        <a href='/'>返回小程序（H5）</a>
      </header>
      <nav className='tabs' role='tablist'>
        {TABS.map((one) => (
          <a key={one.id} role='tab' aria-selected={one.id === tab} className={one.id === tab ? 'tab selected' : 'tab'} href={`#${one.id}`}>
            {one.label}
          </a>
        ))}
      </nav>
      <main>
        <Page />
      </main>
    </div>
  )
}

createRoot(document.getElementById('root')!).render(<Console />)
