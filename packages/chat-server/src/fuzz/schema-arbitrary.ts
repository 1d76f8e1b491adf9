/**
 * fast-check arbitraries from the JSON Schemas of the OpenAPI document: values that fit a schema,
 * and values that break it in the ways clients do (wrong types, out of bounds, missing and extra
 * fields, odd unicode, NUL, lone surrogates, huge strings, deep nesting).
 */
import fc from 'fast-check'

export type JsonSchema = Record<string, any>

/** Strings that have broken servers: unicode edges, control characters, path tricks, numbers as text. */
const NASTY_STRINGS = [
  '',
  ' ',
  '..',
  '.',
  '../../etc/passwd',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udc00x',
  '😀',
  '\u202e',
  '%00',
  '%2e%2e',
  '1e20',
  '-1',
  '99999999999999999999',
  'null',
  '<script>alert(1)</script>',
  "' or 1=1 --",
  'x'.repeat(10_000),
]

export const nastyString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
)

const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  nastyString,
  fc.constant(1e20),
  fc.constant([]),
  fc.constant({}),
)

/** A request body already written as JSON text: too deep for JSON.stringify to write. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A JSON text nested 20,000 arrays deep. */
export const deeplyNestedJson = new RawJson(`${'['.repeat(20_000)}${']'.repeat(20_000)}`)

/** A value nested `depth` levels deep (arrays and objects alternating). */
export const deepValue = (depth: number): unknown => {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { d: value }
  return value
}

/** Values that fit `schema`; `ids` supplies strings for id-like fields so requests reach real rows. */
export function validValue(schema: JsonSchema, ids: fc.Arbitrary<string>, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null)
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum)
  const union = schema.anyOf ?? schema.oneOf
  if (Array.isArray(union)) return fc.oneof(...union.map((s: JsonSchema) => validValue(s, ids, depth + 1)))
  switch (schema.type) {
    case 'string': {
      if (schema.format === 'uuid') return fc.uuid()
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
      if (schema.format === 'uri') return fc.webUrl()
      if (schema.pattern) return ids
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) })
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: Math.min(schema.maximum ?? 1000, 1_000_000) })
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return fc.array(validValue(schema.items ?? {}, ids, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      })
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
      const required = new Set<string>(schema.required ?? [])
      const entries = Object.entries(properties).map(
        ([key, s]) => [key, validValue(s, ids, depth + 1)] as const,
      )
      return fc.record(Object.fromEntries(entries), {
        requiredKeys: [...required].filter((k) => k in properties),
      })
    }
    default:
      return anyJson
  }
}

/** One way of breaking a value that fits `schema`. */
export function brokenValue(schema: JsonSchema, ids: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const valid = validValue(schema, ids)
  const mutations: fc.Arbitrary<unknown>[] = [anyJson, fc.constant(deeplyNestedJson)]
  if (schema.type === 'object' && schema.properties) {
    const keys = Object.keys(schema.properties)
    if (keys.length > 0) {
      const key = fc.constantFrom(...keys)
      // a field of the wrong type, a missing field, an extra field
      mutations.push(
        fc.tuple(valid, key, anyJson).map(([v, k, bad]) => ({ ...(v as object), [k]: bad })),
        fc.tuple(valid, key).map(([v, k]) => {
          const copy = { ...(v as Record<string, unknown>) }
          delete copy[k]
          return copy
        }),
        fc.tuple(valid, key, nastyString).map(([v, k, text]) => ({ ...(v as object), [k]: text })),
        fc.tuple(valid, key).map(([v, k]) => ({ ...(v as object), [k]: deepValue(64) })),
      )
    }
    mutations.push(valid.map((v) => ({ ...(v as object), unexpectedField: 'x' })))
  }
  return fc.oneof(...mutations)
}
