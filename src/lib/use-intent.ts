import { useRef } from 'react'
import { createIntent, type Intent } from '../services/intent'

/** An Intent (services/intent.ts) that lives as long as the component. */
export function useIntent(prefix: string): Intent {
  const ref = useRef<Intent | null>(null)
  if (!ref.current) ref.current = createIntent(prefix)
  return ref.current
}
