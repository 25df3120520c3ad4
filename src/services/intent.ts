import { newRequestId } from './call'

/**
 * One requestId per user intent. The same submit (same signature: what the user asked for)
 * gets the same id until it succeeds, so tapping 重试 after a lost answer cannot apply it twice;
 * changing the input, or `settle()` after success, starts a new intent.
 */
export interface Intent {
  idFor(signature: string): string
  settle(): void
}

export function createIntent(prefix: string): Intent {
  let current: { signature: string; id: string } | null = null
  return {
    idFor(signature) {
      if (!current || current.signature !== signature) current = { signature, id: newRequestId(prefix) }
      return current.id
    },
    settle() {
      current = null
    },
  }
}
