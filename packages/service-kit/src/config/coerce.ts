import type { TSchema } from '@sinclair/typebox'

const TRUE = new Set(['true', '1', 'yes', 'on'])
const FALSE = new Set(['false', '0', 'no', 'off'])

/**
 * Turns an environment string into the type the schema asks for. Values that cannot be converted
 * are returned unchanged so schema validation reports them with the variable's name.
 */
export function coerceEnvValue(schema: TSchema, raw: string): unknown {
  const type = (schema as { type?: unknown }).type
  if (type === 'number' || type === 'integer') {
    const trimmed = raw.trim()
    const value = Number(trimmed)
    return trimmed === '' || Number.isNaN(value) ? raw : value
  }
  if (type === 'boolean') {
    const lower = raw.trim().toLowerCase()
    if (TRUE.has(lower)) return true
    if (FALSE.has(lower)) return false
    return raw
  }
  if (type === 'array') {
    const items = (schema as { items?: TSchema }).items
    const parts = raw
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
    return items ? parts.map((part) => coerceEnvValue(items, part)) : parts
  }
  return raw
}
