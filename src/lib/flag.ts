/**
 * A boolean prop for Taro's built-in components that is left out when false.
 * React renders props of the H5 custom elements (<taro-button-core>) as attributes, so
 * `disabled={false}` becomes `disabled="false"` and matches `[disabled]` styles; `undefined` omits it.
 */
export function flag(on: boolean): true | undefined {
  return on ? true : undefined
}
