/**
 * What JSON Schema cannot say but PostgreSQL refuses (with a 500, were it let through): a NUL
 * character or a lone UTF-16 surrogate in any string (text and jsonb hold neither), nesting deeper
 * than jsonb and our own recursion should ever see, and integers past 2^53 (`?before=1e20` is an
 * integer to JSON Schema, but no bigint column and no JavaScript number holds it exactly).
 * Every validated request part (body, query, params) passes through here.
 */
export const MAX_INPUT_DEPTH = 32

export interface InputFault {
  /** Stable problem code: `invalid_character`, `nesting_too_deep` or `validation_failed`. */
  code: 'invalid_character' | 'nesting_too_deep' | 'validation_failed'
  /** JSON Pointer of the offending value. */
  path: string
  message: string
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function stringFault(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters'
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (no lone surrogates)'
  return null
}

const pointer = (path: string, key: string | number) =>
  `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`

/** The first fault in `input`, walked without recursion (so depth itself cannot overflow the stack). */
export function findInputFault(input: unknown): InputFault | null {
  const stack: [unknown, string, number][] = [[input, '', 0]]
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop() as [unknown, string, number]
    if (typeof value === 'string') {
      const message = stringFault(value)
      if (message) return { code: 'invalid_character', path, message }
    } else if (typeof value === 'number') {
      if (Number.isInteger(value) && !Number.isSafeInteger(value))
        return {
          code: 'validation_failed',
          path,
          message: `must be between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`,
        }
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_INPUT_DEPTH)
        return {
          code: 'nesting_too_deep',
          path,
          message: `must not nest deeper than ${MAX_INPUT_DEPTH} levels`,
        }
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) stack.push([value[i], pointer(path, i), depth + 1])
      } else if (!Buffer.isBuffer(value)) {
        for (const [key, child] of Object.entries(value)) {
          const message = stringFault(key)
          if (message)
            return { code: 'invalid_character', path: pointer(path, key), message: `key ${message}` }
          stack.push([child, pointer(path, key), depth + 1])
        }
      }
    }
  }
  return null
}
