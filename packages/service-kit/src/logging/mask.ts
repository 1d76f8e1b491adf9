export const MASK = '[REDACTED]'

/** Key endings that mark a secret, compared case-insensitively with `-`, `_` and `.` removed. */
const SENSITIVE_ENDINGS = [
  'password',
  'passwd',
  'passphrase',
  'token',
  'secret',
  'secretkey',
  'apikey',
  'privatekey',
  'authorization',
  'cookie',
  'cookies',
  'setcookie',
]

/**
 * Endings rather than substrings: `accessToken`, `x-api-key`, `set-cookie` are masked, while
 * domain fields such as `token0`, `tokenIn` or `tokens` (DEX token addresses) stay readable.
 */
export function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_.\s]/g, '')
  return SENSITIVE_ENDINGS.some((ending) => normalized.endsWith(ending))
}

const MAX_DEPTH = 12

export type Masker = (value: unknown) => unknown

/**
 * Returns a masker that copies a log object, replacing secret values by key pattern and by
 * explicit dot paths (`*` matches any one segment, e.g. `body.card.number`, `*.pin`). Errors become
 * plain ECS-shaped objects `{ type, message, stack_trace, ...own fields, cause }` masked the same way.
 */
export function createMasker(paths: string[] = []): Masker {
  const patterns = paths.map((path) => path.split('.'))
  const matchesPath = (path: string[]) =>
    patterns.some(
      (pattern) =>
        pattern.length === path.length && pattern.every((part, i) => part === '*' || part === path[i]),
    )

  const visit = (value: unknown, path: string[], seen: WeakSet<object>): unknown => {
    if (value === null || typeof value !== 'object') return value
    if (seen.has(value)) return '[Circular]'
    if (path.length > MAX_DEPTH) return '[Truncated]'
    if (value instanceof Error) {
      seen.add(value)
      const plain: Record<string, unknown> = {
        type: value.name,
        message: value.message,
        stack_trace: value.stack,
      }
      for (const [key, inner] of Object.entries(value)) plain[key] = field(key, inner, path, seen)
      if (value.cause !== undefined) plain.cause = field('cause', value.cause, path, seen)
      return plain
    }
    if (Array.isArray(value)) {
      seen.add(value)
      return value.map((item, index) => field(String(index), item, path, seen, false))
    }
    if (!isPlainObject(value)) return value
    seen.add(value)
    const copy: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(value)) copy[key] = field(key, inner, path, seen)
    return copy
  }

  const field = (key: string, value: unknown, parent: string[], seen: WeakSet<object>, byKey = true) => {
    const path = [...parent, key]
    if ((byKey && isSensitiveKey(key)) || matchesPath(path)) return value === undefined ? value : MASK
    return visit(value, path, seen)
  }

  return (value) => visit(value, [], new WeakSet())
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
