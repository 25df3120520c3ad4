/**
 * A form generated from an action's input schema (JSON Schema from zod-to-json-schema): strings,
 * numbers, booleans and enums as inputs, lists of strings one per line, anything else as JSON.
 */
import { useState } from 'react'

export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  enum?: unknown[]
  default?: unknown
  minimum?: number
  maximum?: number
  description?: string
  anyOf?: JsonSchema[]
}

type Kind = 'string' | 'number' | 'boolean' | 'enum' | 'lines' | 'json'

function kindOf(schema: JsonSchema): Kind {
  if (schema.enum) return 'enum'
  const type = Array.isArray(schema.type) ? schema.type.find((one) => one !== 'null') : schema.type
  if (type === 'string') return 'string'
  if (type === 'number' || type === 'integer') return 'number'
  if (type === 'boolean') return 'boolean'
  if (type === 'array' && schema.items?.type === 'string') return 'lines'
  return 'json'
}

/** The input the form's texts stand for; an empty optional field is left out. */
export function inputOf(schema: JsonSchema, texts: Record<string, string>): { input: Record<string, unknown>; problem: string | null } {
  const input: Record<string, unknown> = {}
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const text = texts[name] ?? ''
    const kind = kindOf(field)
    if (kind === 'boolean') {
      if (text) input[name] = text === 'true'
      continue
    }
    if (text.trim() === '') continue
    if (kind === 'number') input[name] = Number(text)
    else if (kind === 'lines')
      input[name] = text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
    else if (kind === 'json') {
      try {
        input[name] = JSON.parse(text)
      } catch {
        return { input, problem: `${name}：不是有效的 JSON` }
      }
    } else input[name] = text
  }
  return { input, problem: null }
}

export function SchemaForm({ schema, onSubmit, busy }: { schema: JsonSchema; onSubmit: (input: Record<string, unknown>) => void; busy: boolean }) {
  const [texts, setTexts] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<string | null>(null)
  const fields = Object.entries(schema.properties ?? {})
  const set = (name: string, value: string) => setTexts((current) => ({ ...current, [name]: value }))
  return (
    <form
      className='form'
      onSubmit={(event) => {
        event.preventDefault()
        const { input, problem: found } = inputOf(schema, texts)
        setProblem(found)
        if (!found) onSubmit(input)
      }}
    >
      {fields.length === 0 && <p className='muted'>这个操作没有参数。</p>}
      {fields.map(([name, field]) => {
        const kind = kindOf(field)
        const required = schema.required?.includes(name) && field.default === undefined
        const id = `field-${name}`
        const hint = [
          kind === 'lines' ? '每行一个' : null,
          kind === 'json' ? 'JSON' : null,
          field.minimum !== undefined ? `≥ ${field.minimum}` : null,
          field.maximum !== undefined ? `≤ ${field.maximum}` : null,
          field.default !== undefined ? `默认 ${JSON.stringify(field.default)}` : null,
        ]
          .filter(Boolean)
          .join('，')
        return (
          <label key={name} className='field' htmlFor={id}>
            <span className='field-name'>
              {name}
              {required ? <em> *</em> : null}
              {hint ? <small>（{hint}）</small> : null}
            </span>
            {kind === 'enum' ? (
              <select id={id} value={texts[name] ?? ''} onChange={(event) => set(name, event.target.value)}>
                <option value=''>—</option>
                {(field.enum ?? []).map((value) => (
                  <option key={String(value)} value={String(value)}>
                    {String(value)}
                  </option>
                ))}
              </select>
            ) : kind === 'boolean' ? (
              <select id={id} value={texts[name] ?? ''} onChange={(event) => set(name, event.target.value)}>
                <option value=''>—</option>
                <option value='true'>true</option>
                <option value='false'>false</option>
              </select>
            ) : kind === 'lines' || kind === 'json' ? (
              <textarea id={id} rows={kind === 'lines' ? 4 : 6} value={texts[name] ?? ''} onChange={(event) => set(name, event.target.value)} />
            ) : (
              <input id={id} type={kind === 'number' ? 'number' : 'text'} value={texts[name] ?? ''} onChange={(event) => set(name, event.target.value)} />
            )}
          </label>
        )
      })}
      {problem && <p className='error'>{problem}</p>}
      <button type='submit' className='primary' disabled={busy}>
        {busy ? '运行中…' : '运行'}
      </button>
    </form>
  )
}
