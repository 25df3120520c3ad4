/** Reading values at dotted paths of stored documents, for the indexes. */

/** Every value found at a dotted path, descending through arrays (superset of what Mongo equality can match). */
export function valuesAt(doc: unknown, path: string[]): unknown[] {
  const out: unknown[] = []
  const walk = (value: unknown, depth: number) => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth)
      return
    }
    if (depth === path.length) {
      out.push(value)
      return
    }
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      const next = (value as Record<string, unknown>)[path[depth]]
      if (next !== undefined) walk(next, depth + 1)
    }
  }
  walk(doc, 0)
  return out
}
