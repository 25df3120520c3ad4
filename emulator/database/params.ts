/** Assert-style readers for action params; a bad param is INVALID_PARAM. */
import { EmulatorError } from '../errors'

export type Params = Record<string, unknown>

export function requireString(params: Params, name: string): string {
  const value = params[name]
  if (typeof value !== 'string' || value === '') throw new EmulatorError('INVALID_PARAM', `${name} is required`)
  return value
}

export function optionalString(params: Params, name: string): string | undefined {
  const value = params[name]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') throw new EmulatorError('INVALID_PARAM', `${name} must be a string`)
  return value
}

export function optionalBoolean(params: Params, name: string, fallback: boolean): boolean {
  const value = params[name]
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'boolean') throw new EmulatorError('INVALID_PARAM', `${name} must be a boolean`)
  return value
}

export function optionalCount(params: Params, name: string): number | undefined {
  const value = params[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new EmulatorError('INVALID_PARAM', `${name} must be a non-negative integer`)
  }
  return value
}

export function queryType(params: Params): 'DOC' | 'WHERE' {
  const value = params.queryType ?? 'WHERE'
  if (value !== 'DOC' && value !== 'WHERE') throw new EmulatorError('INVALID_PARAM', 'queryType must be DOC or WHERE')
  return value
}
