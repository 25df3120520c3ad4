/** Secrets and settings a function reads from its environment (cloudbaserc.json envVariables in production). */
export function requiredSetting(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`missing environment setting ${name}`)
  return value
}
