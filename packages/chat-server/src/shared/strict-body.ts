import { HttpProblem } from '@platform/service-kit/http'
import { FormatRegistry, type TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { Value } from '@sinclair/typebox/value'
import type { FastifySchemaCompiler } from 'fastify'
import { findInputFault } from './input-hygiene.js'

/**
 * Request validation with TypeBox instead of Fastify's Ajv, because Ajv coerces types in JSON
 * bodies too (`"text": 5` silently becomes "5"), while a client sending the wrong type must get a
 * 400. Query strings and path params are text by nature, so they are converted (numbers, booleans)
 * and get their defaults; bodies are checked exactly as sent. Errors take Ajv's shape so the kit's
 * problem+json handler reports the field paths.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (value) => UUID.test(value))
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set(
    'date-time',
    (value) => /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)),
  )
}

export const typeboxValidatorCompiler: FastifySchemaCompiler<any> = (route) => {
  const schema = route.schema as TSchema
  const checker = TypeCompiler.Compile(schema)
  const optional = Object.getOwnPropertySymbols(schema).some((s) => s.description === 'TypeBox.Optional')
  // bodies are checked as sent; path params whose every property is a plain string without a
  // default (`:channelId`, `:userId`, ...) too: router params are strings, so converting and
  // defaulting them would change nothing (and the copy cost a structuredClone per request)
  const asSent = route.httpPart === 'body' || (route.httpPart === 'params' && plainStrings(schema))
  return (input: unknown) => {
    if (input == null && optional) return { value: undefined }
    // Bodies are checked as sent, so a 20,000-deep one is refused before any recursive code sees
    // it; query strings are flat, and their numbers only exist once converted (`before=1e20`).
    const notInteger = asSent ? null : nonIntegerText(schema, input)
    if (notInteger) return { error: validationError([notInteger]) }
    const data = asSent ? input : Value.Convert(schema, Value.Default(schema, structuredClone(input ?? {})))
    const fault = findInputFault(data)
    if (fault) {
      const where = {
        body: 'body',
        querystring: 'querystring',
        params: 'params',
        headers: 'headers',
      } as const
      return {
        error: new HttpProblem(400, fault.code, `${fault.path || 'the value'} ${fault.message}`, {
          errors: [
            { path: fault.path, message: fault.message, in: where[route.httpPart as keyof typeof where] },
          ],
        }),
      }
    }
    if (checker.Check(data)) return { value: data }
    return { error: validationError([...checker.Errors(data)].slice(0, 20)) }
  }
}

/**
 * TypeBox converts text to an integer with parseInt, so `?before=1e20` or `?limit=2.5` would
 * quietly become 1 and 2: a different request than the one sent. An integer in a query string or
 * path must be written as one.
 */
function nonIntegerText(schema: TSchema, input: unknown): { path: string; message: string } | null {
  if (
    schema.type !== 'object' ||
    typeof schema.properties !== 'object' ||
    !input ||
    typeof input !== 'object'
  )
    return null
  for (const [key, property] of Object.entries(schema.properties as Record<string, TSchema>)) {
    const value = (input as Record<string, unknown>)[key]
    if (property.type === 'integer' && typeof value === 'string' && !/^-?\d+$/.test(value))
      return { path: `/${key}`, message: 'must be an integer written in digits' }
  }
  return null
}

/** Ajv's error shape, which the kit's problem+json handler turns into `errors[].path`. */
function validationError(errors: { path: string; message: string }[]): Error {
  const validation = errors.map((error) => ({
    instancePath: error.path,
    message: error.message,
    keyword: 'type',
    params: {},
    schemaPath: '',
  }))
  return Object.assign(new Error('request validation failed'), { validation })
}

/** An object schema whose properties are all `type: 'string'` with no default, and no default of its own. */
function plainStrings(schema: TSchema): boolean {
  if (schema.type !== 'object' || 'default' in schema || typeof schema.properties !== 'object') return false
  return Object.values(schema.properties as Record<string, TSchema>).every(
    (property) => property.type === 'string' && !('default' in property),
  )
}
