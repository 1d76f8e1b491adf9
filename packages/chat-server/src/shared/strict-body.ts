import { FormatRegistry, type TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { Value } from '@sinclair/typebox/value'
import type { FastifySchemaCompiler } from 'fastify'

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
    const data = asSent ? input : Value.Convert(schema, Value.Default(schema, structuredClone(input ?? {})))
    if (checker.Check(data)) return { value: data }
    const validation = [...checker.Errors(data)].slice(0, 20).map((error) => ({
      instancePath: error.path,
      message: error.message,
      keyword: 'type',
      params: {},
      schemaPath: '',
    }))
    return { error: Object.assign(new Error('request validation failed'), { validation }) }
  }
}

/** An object schema whose properties are all `type: 'string'` with no default, and no default of its own. */
function plainStrings(schema: TSchema): boolean {
  if (schema.type !== 'object' || 'default' in schema || typeof schema.properties !== 'object') return false
  return Object.values(schema.properties as Record<string, TSchema>).every(
    (property) => property.type === 'string' && !('default' in property),
  )
}
