/** The console's pages: database, admin actions, timers and jobs with the clock, WeChat, storage, invocations. */
import QRCode from 'qrcode-generator'
import { useState, type ReactNode } from 'react'
import { formatTime, postJson, useJson, type Answer } from './api'
import { SchemaForm, type JsonSchema } from './schema-form'
import type { JobRunView } from '../../domain/contract/views'
import type { Invocation } from '../functions'

/** A side list of names to pick one from. */
function Picker({ label, items, selected, onPick, render }: { label: string; items: string[]; selected: string | null; onPick: (item: string) => void; render?: (item: string) => ReactNode }) {
  return (
    <nav className='list' aria-label={label}>
      {items.map((item) => (
        <button key={item} className={item === selected ? 'item selected' : 'item'} onClick={() => onPick(item)}>
          {render ? render(item) : item}
        </button>
      ))}
    </nav>
  )
}

function AnswerView({ answer }: { answer: Answer }) {
  if (answer.ok) {
    return (
      <div className='answer ok' role='status'>
        <strong>成功</strong>
        <pre>{JSON.stringify(answer.data, null, 2)}</pre>
      </div>
    )
  }
  return (
    <div className='answer failed' role='alert'>
      <strong>
        失败：{answer.error?.code} · {answer.error?.reason}
      </strong>
      <p>{answer.error?.message}</p>
      {(answer.error?.fields ?? []).length > 0 && (
        <ul className='fields'>
          {answer.error?.fields?.map((field) => (
            <li key={field.path}>
              <code>{field.path}</code>：{field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

// ---------------------------------------------------------------------------------------------

interface CollectionsBody {
  collections: { name: string; count: number }[]
  config: string[]
}

export function DatabasePage() {
  const { data, reload } = useJson<CollectionsBody>('/console/api/collections')
  const [collection, setCollection] = useState<string | null>(null)
  const [where, setWhere] = useState('{}')
  const [query, setQuery] = useState('{}')
  const [skip, setSkip] = useState(0)
  const url = collection ? `/console/api/documents?collection=${encodeURIComponent(collection)}&where=${encodeURIComponent(query)}&skip=${skip}&limit=50` : null
  const page = useJson<{ total: number; documents: Record<string, unknown>[] }>(url)
  const [editing, setEditing] = useState<{ text: string; answer: Answer | null } | null>(null)
  const isConfig = collection !== null && (data?.config ?? []).includes(collection)

  const save = async () => {
    if (!editing || !collection) return
    let document: unknown
    try {
      document = JSON.parse(editing.text)
    } catch {
      setEditing({ ...editing, answer: { ok: false, error: { code: 'INVALID_ARGUMENT', reason: 'INVALID_INPUT', message: '不是有效的 JSON' } } })
      return
    }
    const answer = await postJson<Answer>('/console/api/documents', { collection, document }).catch((error: Error): Answer => ({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', reason: 'INVALID_INPUT', message: error.message },
    }))
    setEditing({ ...editing, answer })
    if (answer.ok) {
      page.reload()
      reload()
    }
  }

  return (
    <div className='split'>
      <Picker
        label='集合'
        items={(data?.collections ?? []).map((one) => one.name)}
        selected={collection}
        onPick={(name) => {
          setCollection(name)
          setSkip(0)
          setEditing(null)
        }}
        render={(name) => (
          <>
            <span>{name}</span>
            <span className='count'>
              {(data?.config ?? []).includes(name) && <span className='tag'>配置</span>}
              {data?.collections.find((one) => one.name === name)?.count}
            </span>
          </>
        )}
      />
      <section className='pane'>
        {!collection && <p className='muted'>选择左侧的集合查看文档。</p>}
        {collection && (
          <>
            <h2>
              {collection} {isConfig && <span className='tag'>配置：保存时按加载时的规则校验</span>}
            </h2>
            <form
              className='filter'
              onSubmit={(event) => {
                event.preventDefault()
                setSkip(0)
                setQuery(where)
              }}
            >
              <label htmlFor='filter'>筛选（JSON）</label>
              <input id='filter' value={where} onChange={(event) => setWhere(event.target.value)} />
              <button type='submit'>查询</button>
            </form>
            {page.error && <p className='error'>{page.error}</p>}
            <p className='muted'>
              共 {page.data?.total ?? 0} 条{page.data && page.data.total > 50 ? `，第 ${skip + 1}–${Math.min(skip + 50, page.data.total)} 条` : ''}
              {skip > 0 && <button onClick={() => setSkip(Math.max(0, skip - 50))}>上一页</button>}
              {page.data && skip + 50 < page.data.total && <button onClick={() => setSkip(skip + 50)}>下一页</button>}
            </p>
            <div className='documents'>
              <ul className='list'>
                {(page.data?.documents ?? []).map((document) => (
                  <li key={String(document._id)}>
                    <button className='item' onClick={() => setEditing({ text: JSON.stringify(document, null, 2), answer: null })}>
                      <code>{String(document._id)}</code>
                    </button>
                  </li>
                ))}
              </ul>
              {editing && (
                <div className='editor'>
                  <label htmlFor='document'>文档（日期写作 {'{ "$date": "ISO" }'}）</label>
                  <textarea id='document' spellCheck={false} value={editing.text} onChange={(event) => setEditing({ text: event.target.value, answer: null })} />
                  <button className='primary' onClick={() => void save()}>
                    保存
                  </button>
                  {editing.answer && <AnswerView answer={editing.answer} />}
                </div>
              )}
            </div>
          </>
        )}
      </section>
    </div>
  )
}

// ---------------------------------------------------------------------------------------------

export function ActionsPage() {
  const { data } = useJson<{ actions: { name: string; roles: string[]; schema: JsonSchema }[] }>('/console/api/actions')
  const [name, setName] = useState<string | null>(null)
  const [answer, setAnswer] = useState<Answer | null>(null)
  const [busy, setBusy] = useState(false)
  const action = data?.actions.find((one) => one.name === name)
  const run = async (input: Record<string, unknown>) => {
    setBusy(true)
    setAnswer(null)
    try {
      setAnswer(await postJson<Answer>('/console/api/call', { name: 'admin', action: name, input }))
    } catch (error) {
      setAnswer({ ok: false, error: { code: 'INTERNAL', reason: 'INTERNAL', message: (error as Error).message } })
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className='split'>
      <Picker
        label='管理操作'
        items={(data?.actions ?? []).map((one) => one.name)}
        selected={name}
        onPick={(picked) => {
          setName(picked)
          setAnswer(null)
        }}
        render={(picked) => `admin.${picked}`}
      />
      <section className='pane'>
        {!action && <p className='muted'>选择一个管理操作，填写参数后以控制台身份运行（没有微信用户）。</p>}
        {action && (
          <>
            <h2>admin.{action.name}</h2>
            <SchemaForm key={action.name} schema={action.schema} busy={busy} onSubmit={(input) => void run(input)} />
            {answer && <AnswerView answer={answer} />}
          </>
        )}
      </section>
    </div>
  )
}

// ---------------------------------------------------------------------------------------------

type RunRow = Pick<JobRunView, 'key' | 'job' | 'status' | 'shardsDone' | 'shardsTotal' | 'items' | 'changed' | 'errors' | 'startedAt' | 'finishedAt'>

const MINUTE = 60_000

export function JobsPage() {
  const runs = useJson<{ runs: RunRow[] }>('/console/api/runs', 1000)
  const clock = useJson<{ now: string; nowMs: number; offsetMs: number }>('/emulator/clock', 1000)
  const [fired, setFired] = useState<string | null>(null)
  const [at, setAt] = useState('')
  const moveClock = async (change: Record<string, unknown>) => {
    await postJson('/emulator/clock', change)
    clock.reload()
  }
  const fire = async (name: string) => {
    await postJson('/console/api/timers', { name })
    setFired(name)
    runs.reload()
  }
  return (
    <div className='stack'>
      <section className='card'>
        <h2>业务时钟</h2>
        <p className='clock' aria-label='业务时钟'>
          {clock.data ? formatTime(clock.data.nowMs) : '…'}
          {clock.data && clock.data.offsetMs !== 0 && <span className='tag'>已偏移 {Math.round(clock.data.offsetMs / MINUTE)} 分钟</span>}
        </p>
        <div className='row'>
          <button onClick={() => void moveClock({ advanceMs: 5 * MINUTE })}>+5 分钟</button>
          <button onClick={() => void moveClock({ advanceMs: 60 * MINUTE })}>+1 小时</button>
          <button onClick={() => void moveClock({ advanceMs: 24 * 60 * MINUTE })}>+1 天</button>
          <button onClick={() => void moveClock({ reset: true })}>回到现在</button>
          <form
            className='row'
            onSubmit={(event) => {
              event.preventDefault()
              if (at) void moveClock({ set: new Date(at).toISOString() })
            }}
          >
            <label htmlFor='clock-at'>设为</label>
            <input id='clock-at' type='datetime-local' value={at} onChange={(event) => setAt(event.target.value)} />
            <button type='submit'>设定</button>
          </form>
        </div>
      </section>
      <section className='card'>
        <h2>定时触发器</h2>
        <div className='row'>
          <button className='primary' onClick={() => void fire('nightly')}>
            立即运行 nightly（每晚）
          </button>
          <button className='primary' onClick={() => void fire('minutely')}>
            立即运行 minutely（每分钟）
          </button>
          {fired && <span className='muted'>已触发 {fired}，下方任务进度每秒刷新</span>}
        </div>
      </section>
      <section className='card'>
        <h2>任务运行</h2>
        {(runs.data?.runs ?? []).length === 0 ? (
          <p className='muted'>还没有任务运行。</p>
        ) : (
          <table aria-label='任务运行'>
            <thead>
              <tr>
                <th>运行</th>
                <th>任务</th>
                <th>状态</th>
                <th>分片</th>
                <th>条目</th>
                <th>变更</th>
                <th>错误</th>
                <th>开始</th>
                <th>完成</th>
              </tr>
            </thead>
            <tbody>
              {runs.data?.runs.map((run) => (
                <tr key={run.key} data-run={run.key}>
                  <td>
                    <code>{run.key}</code>
                  </td>
                  <td>{run.job}</td>
                  <td>
                    <span className={run.status === 'done' ? 'status done' : 'status running'}>{run.status === 'done' ? '已完成' : '进行中'}</span>
                  </td>
                  <td>
                    {run.shardsDone}/{run.shardsTotal}
                  </td>
                  <td>{run.items}</td>
                  <td>{run.changed}</td>
                  <td>{run.errors}</td>
                  <td>{formatTime(run.startedAt)}</td>
                  <td>{formatTime(run.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}

// ---------------------------------------------------------------------------------------------

interface WeChatCall {
  at: number
  apiName: string
  request: Record<string, unknown>
  errcode: number
  response: Record<string, unknown> | null
}

/** The emulator answers a placeholder image; the console draws what the code would open (page and scene) as a QR code to scan. */
function MiniProgramCode({ request }: { request: Record<string, unknown> }) {
  const target = `${String(request.page ?? 'pages/index/index')}?scene=${String(request.scene ?? '')}`
  const qr = QRCode(0, 'M')
  qr.addData(target)
  qr.make()
  return (
    <figure className='code'>
      <img src={qr.createDataURL(4, 8)} alt={`小程序码 ${String(request.scene ?? '')}`} />
      <figcaption>
        模拟小程序码 · scene <code>{String(request.scene ?? '')}</code> · {String(request.page ?? '')}
      </figcaption>
    </figure>
  )
}

const PAY_STATES = { NOTPAY: '待支付', SUCCESS: '已支付', CLOSED: '已关闭' } as const

export function WeChatPage() {
  const calls = useJson<{ calls: WeChatCall[] }>('/emulator/wechat-calls', 2000)
  const orders = useJson<{ orders: { at: number; outTradeNo: string; totalFee: number; body: string; openid: string; state: 'NOTPAY' | 'SUCCESS' | 'CLOSED' }[] }>('/emulator/pay/orders', 2000)
  const refunds = useJson<{ refunds: { at: number; outTradeNo: string; outRefundNo: string; refundFee: number; totalFee: number }[] }>('/emulator/pay/refunds', 2000)
  const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`
  return (
    <div className='stack'>
      <section className='card'>
        <h2>微信支付</h2>
        {(orders.data?.orders ?? []).length === 0 && <p className='muted'>还没有支付。</p>}
        <ul className='records' aria-label='支付'>
          {[...(orders.data?.orders ?? [])].reverse().map((order) => (
            <li key={order.outTradeNo}>
              <strong>{order.body}</strong> {yuan(order.totalFee)} · <code>{order.outTradeNo}</code> · {PAY_STATES[order.state]} · {formatTime(order.at)}
            </li>
          ))}
        </ul>
        <h3>退款</h3>
        {(refunds.data?.refunds ?? []).length === 0 && <p className='muted'>还没有退款。</p>}
        <ul className='records' aria-label='退款'>
          {[...(refunds.data?.refunds ?? [])].reverse().map((refund) => (
            <li key={refund.outRefundNo}>
              退 {yuan(refund.refundFee)} / {yuan(refund.totalFee)} · <code>{refund.outTradeNo}</code> · {formatTime(refund.at)}
            </li>
          ))}
        </ul>
      </section>
      <section className='card'>
        <h2>开放接口调用</h2>
        {(calls.data?.calls ?? []).length === 0 && <p className='muted'>还没有调用（订阅消息、小程序码、手机号）。</p>}
        <ul className='records' aria-label='开放接口调用'>
          {[...(calls.data?.calls ?? [])].reverse().map((call, index) => (
            <li key={`${call.at}-${index}`}>
              <div>
                <strong>{call.apiName}</strong> · errcode {call.errcode} · {formatTime(call.at)}
              </div>
              {/wxacode/.test(call.apiName) && call.errcode === 0 && <MiniProgramCode request={call.request} />}
              {/phonenumber/i.test(call.apiName) && call.errcode === 0 && <div>手机号：{String((call.response?.phone_info as { phoneNumber?: string } | undefined)?.phoneNumber ?? '—')}</div>}
              <pre>{JSON.stringify(call.request, null, 2)}</pre>
            </li>
          ))}
        </ul>
      </section>
    </div>
  )
}

// ---------------------------------------------------------------------------------------------

export function StoragePage() {
  const files = useJson<{ files: { fileId: string; path: string; size: number; uploadedAt: number; contentType: string }[] }>('/console/api/files', 5000)
  return (
    <section className='card'>
      <h2>云存储</h2>
      {(files.data?.files ?? []).length === 0 && <p className='muted'>还没有文件。</p>}
      <ul className='files'>
        {(files.data?.files ?? []).map((file) => (
          <li key={file.fileId}>
            {file.contentType.startsWith('image/') && <img src={`/console/api/file?fileId=${encodeURIComponent(file.fileId)}`} alt={file.path} />}
            <a href={`/console/api/file?fileId=${encodeURIComponent(file.fileId)}`}>{file.path}</a>
            <span className='muted'>
              {file.size} 字节 · {formatTime(file.uploadedAt)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}

// ---------------------------------------------------------------------------------------------

export function InvocationsPage() {
  const log = useJson<{ invocations: Invocation[] }>('/emulator/invocations?last=100', 2000)
  return (
    <section className='card'>
      <h2>最近的函数调用</h2>
      <table aria-label='函数调用'>
        <thead>
          <tr>
            <th>时间</th>
            <th>函数</th>
            <th>操作</th>
            <th>调用者</th>
            <th>数据库调用</th>
            <th>耗时</th>
            <th>结果</th>
          </tr>
        </thead>
        <tbody>
          {[...(log.data?.invocations ?? [])].reverse().map((call) => (
            <tr key={call.id}>
              <td>{formatTime(call.startedAt)}</td>
              <td>{call.functionName}</td>
              <td>{call.action ?? '—'}</td>
              <td>{call.openid || '控制台 / 定时器'}</td>
              <td>{call.adminCalls}</td>
              <td>{call.durationMs} ms</td>
              <td className={call.outcome === 'ok' ? '' : 'error'}>{call.outcome === 'ok' ? '成功' : `${call.outcome} ${call.errorCode ?? ''} ${call.errorReason ?? ''}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
