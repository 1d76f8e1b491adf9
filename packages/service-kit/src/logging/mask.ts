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

/**
 * Log keys come from code and repeat on every line, so the verdict per key is remembered. The
 * cache is bounded because keys of logged request bodies and headers are chosen by callers.
 */
const verdicts = new Map<string, boolean>()
const MAX_CACHED_KEYS = 4096

function isSensitiveKeyCached(key: string): boolean {
  let verdict = verdicts.get(key)
  if (verdict === undefined) {
    verdict = isSensitiveKey(key)
    if (verdicts.size < MAX_CACHED_KEYS) verdicts.set(key, verdict)
  }
  return verdict
}

const MAX_DEPTH = 12

export type Masker = (value: unknown) => unknown

/**
 * Returns a masker that masks a log object, replacing secret values by key pattern and by explicit
 * dot paths (`*` matches any one segment, e.g. `body.card.number`, `*.pin`). Errors become plain
 * ECS-shaped objects `{ type, message, stack_trace, ...own fields, cause }` masked the same way.
 *
 * The caller's objects are never changed: an object or array is copied only when something inside
 * it is masked or converted, and returned as is otherwise. Most log lines (the per-request line
 * included) hold no secret, so they cost one pass over their keys and no allocation.
 */
export function createMasker(paths: string[] = []): Masker {
  const patterns = paths.map((path) => path.split('.'))
  const byPath = patterns.length > 0
  const matchesPath = (path: string[]) =>
    patterns.some(
      (pattern) =>
        pattern.length === path.length && pattern.every((part, i) => part === '*' || part === path[i]),
    )

  // `path` is only tracked when there are path patterns; `depth` bounds recursion either way.
  // `ancestors` holds the objects being visited, so only a real cycle reads as '[Circular]'.
  const visit = (value: unknown, path: string[], depth: number, ancestors: object[]): unknown => {
    if (value === null || typeof value !== 'object') return value
    if (ancestors.includes(value)) return '[Circular]'
    if (depth > MAX_DEPTH) return '[Truncated]'
    ancestors.push(value)
    try {
      return visitObject(value, path, depth, ancestors)
    } finally {
      ancestors.pop()
    }
  }

  const visitObject = (value: object, path: string[], depth: number, ancestors: object[]): unknown => {
    if (value instanceof Error) {
      const plain: Record<string, unknown> = {
        type: value.name,
        message: value.message,
        stack_trace: value.stack,
      }
      for (const key of Object.keys(value))
        plain[key] = field(key, (value as unknown as Record<string, unknown>)[key], path, depth, ancestors)
      if (value.cause !== undefined) plain.cause = field('cause', value.cause, path, depth, ancestors)
      return plain
    }
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined
      for (let i = 0; i < value.length; i++) {
        const item = value[i]
        const masked = field(byPath ? String(i) : '', item, path, depth, ancestors, false)
        if (masked !== item && copy === undefined) copy = value.slice(0, i)
        if (copy) copy.push(masked)
      }
      return copy ?? value
    }
    if (!isPlainObject(value)) return value
    return maskEntries(value as Record<string, unknown>, path, depth, ancestors)
  }

  const maskEntries = (
    object: Record<string, unknown>,
    path: string[],
    depth: number,
    ancestors: object[],
  ): Record<string, unknown> => {
    let copy: Record<string, unknown> | undefined
    for (const key in object) {
      if (!Object.hasOwn(object, key)) continue
      const inner = object[key]
      const masked = field(key, inner, path, depth, ancestors)
      if (masked !== inner && copy === undefined) {
        copy = {}
        // Keys before this one were unchanged: copy them in their order.
        for (const earlier in object) {
          if (earlier === key) break
          if (Object.hasOwn(object, earlier)) copy[earlier] = object[earlier]
        }
      }
      if (copy) copy[key] = masked
    }
    return copy ?? object
  }

  const field = (
    key: string,
    value: unknown,
    parent: string[],
    depth: number,
    ancestors: object[],
    byKey = true,
  ): unknown => {
    const path = byPath ? [...parent, key] : parent
    if ((byKey && isSensitiveKeyCached(key)) || (byPath && matchesPath(path)))
      return value === undefined ? value : MASK
    if (value === null || typeof value !== 'object') return value
    return visit(value, path, depth + 1, ancestors)
  }

  return (value) => visit(value, [], 0, [])
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
