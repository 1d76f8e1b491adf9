/**
 * Fuzzing driven by the OpenAPI document: for every route, requests generated from its schemas,
 * valid and broken (types, bounds, unicode, sizes, missing and extra fields), sent with a real
 * credential. The properties: never a 5xx; an error is problem+json; a success matches the
 * route's response schema; a refused write leaves the app's data exactly as it was.
 *
 * `npm test` runs FUZZ_RUNS (default 4) cases per route; `npm run fuzz` runs 100.
 */
import { Ajv } from 'ajv'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_KEY, type Harness, seedApp, startHarness } from '../testing/harness.js'
import { tenantSnapshot } from '../testing/snapshot.js'
import { brokenValue, type JsonSchema, nastyString, RawJson, validValue } from './schema-arbitrary.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 4)

/** Routes whose success would remove the fixture every other case stands on (and take no id). */
const NOT_FUZZED = new Set(['DELETE /v1/me', 'POST /v1/me/logout'])
/** Routes that destroy what their ids name: fuzzed with ids that name nothing real. */
const DESTRUCTIVE = new Set([
  'DELETE /v1/admin/apps/{appId}',
  'DELETE /v1/users/{userId}',
  'POST /v1/users/{userId}/tokens/revoke',
  'DELETE /v1/app/keys/{keyId}',
  'DELETE /v1/channels/{channelId}',
  'POST /v1/channels/{channelId}/leave',
  'DELETE /v1/channels/{channelId}/members/{userId}',
  'POST /v1/privacy-requests/{requestId}/fulfil',
  'POST /v1/me/privacy-requests/{requestId}/fulfil',
  'POST /v1/moderation/bans',
])

let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>
let spec: JsonSchema
const fixtureIds: string[] = []
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false })

/** The schema with every `$ref` to components replaced by the component. */
function resolve(schema: unknown): any {
  if (Array.isArray(schema)) return schema.map(resolve)
  if (!schema || typeof schema !== 'object') return schema
  const ref = (schema as { $ref?: string }).$ref
  if (ref?.startsWith('#/components/schemas/')) return resolve(spec.components.schemas[ref.split('/').pop()!])
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolve(v)]))
}

function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value)
  } catch {
    // a lone surrogate cannot be URI-encoded: send its UTF-8 replacement bytes
    return [...Buffer.from(value)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')
  }
}

const withoutAudit = ({ audit_log: _audit, ...rest }: Record<string, string>) => rest

beforeAll(async () => {
  h = await startHarness('openapi_fuzz', { RATE_LIMIT_ENABLED: 'false' })
  S = await seedApp(h.app, 'fuzz', ['alice', 'bob'])
  spec = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json()
  await S.users.alice!.post('/v1/channels', { type: 'messaging', id: 'room', members: ['bob'] })
  const message = (
    await S.users.alice!.post('/v1/channels/room/messages', { text: 'hi @bob', mentions: ['bob'] })
  ).body.message.id
  const poll = (
    await S.users.alice!.post(`/v1/messages/${message}/poll`, { question: 'q', options: ['a', 'b'] })
  ).body.poll
  const upload = (
    await S.users.alice!.post('/v1/channels/room/uploads/presign', {
      fileName: 'a.txt',
      contentType: 'text/plain',
      size: 3,
    })
  ).body.upload.id
  const flag = (await S.users.bob!.post(`/v1/messages/${message}/flags`, { reason: 'x' })).body.flag.id
  const hook = (await S.server.post('/v1/webhooks', { url: 'http://127.0.0.1:9/hook' })).body.endpoint.id
  const request = (await S.server.post('/v1/users/bob/privacy-requests', { kind: 'access' })).body.request.id
  fixtureIds.push(
    'room',
    'alice',
    'bob',
    'like',
    message,
    poll.id,
    poll.options[0].id,
    upload,
    flag,
    hook,
    request,
    S.appId,
  )
  expect(fixtureIds.every(Boolean)).toBe(true)
}, 180_000)
afterAll(async () => h?.close())

describe('OpenAPI-driven fuzzing', () => {
  it('fuzzes every route of the document', async () => {
    const routes = Object.entries(spec.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    )
    const credentials = {
      backend: { 'x-api-key': S.apiKey },
      user: { authorization: `Bearer ${S.tokens.alice}` },
      admin: { authorization: `Bearer ${ADMIN_KEY}` },
      none: {},
    }
    const failures: string[] = []
    for (const { method, path, op } of routes) {
      const route = `${method} ${path}`
      if (NOT_FUZZED.has(route) || path.includes('{*}')) continue
      const ids = DESTRUCTIVE.has(route)
        ? fc.oneof(fc.uuid(), nastyString)
        : fc.oneof(fc.constantFrom(...fixtureIds), fc.uuid(), nastyString)
      const parameters = (op.parameters ?? []) as { name: string; in: string; schema: JsonSchema }[]
      const pathParams = parameters.filter((p) => p.in === 'path')
      const queryParams = parameters.filter((p) => p.in === 'query')
      const bodySchema = resolve(op.requestBody?.content?.['application/json']?.schema)
      const query = fc.record(
        Object.fromEntries(
          queryParams.map((p) => [p.name, fc.oneof(validValue(p.schema, ids), brokenValue(p.schema, ids))]),
        ),
        { requiredKeys: [] },
      )
      const body = bodySchema
        ? fc.oneof(validValue(bodySchema, ids), brokenValue(bodySchema, ids))
        : fc.constant(undefined)
      const arbitrary = fc.record({
        who: fc.constantFrom(...(Object.keys(credentials) as (keyof typeof credentials)[])),
        params: fc.tuple(...pathParams.map(() => ids)),
        query,
        body,
      })
      await fc
        .assert(
          fc.asyncProperty(arbitrary, async ({ who, params, query, body }) => {
            let url = path
            pathParams.forEach((p, i) => {
              url = url.replace(`{${p.name}}`, encodeSegment(String(params[i])))
            })
            const search = Object.entries(query)
              .filter(([, v]) => v !== undefined)
              .map(([k, v]) => `${k}=${encodeSegment(typeof v === 'string' ? v : JSON.stringify(v))}`)
              .join('&')
            if (search) url += `?${search}`
            const before =
              method === 'GET' ? undefined : withoutAudit(await tenantSnapshot(h.database, S.appId))
            const payload =
              body === undefined ? undefined : body instanceof RawJson ? body.text : JSON.stringify(body)
            const response = await h.app.inject({
              method: method as 'GET',
              url,
              headers: {
                ...credentials[who],
                ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
              },
              ...(payload === undefined ? {} : { payload }),
            })
            const what = `${route} as ${who}: ${url} ${payload?.slice(0, 200) ?? ''} → ${response.statusCode} ${response.body.slice(0, 200)}`
            if (response.statusCode >= 500) throw new Error(`5xx: ${what}`)
            if (response.statusCode >= 400) {
              if (!String(response.headers['content-type']).startsWith('application/problem+json'))
                throw new Error(`error without problem+json: ${what}`)
              if (before) {
                const after = withoutAudit(await tenantSnapshot(h.database, S.appId))
                const changed = Object.keys(after).filter((table) => after[table] !== before[table])
                if (changed.length > 0)
                  throw new Error(`a refused request wrote to ${changed.join(', ')}: ${what}`)
              }
              return
            }
            const schema = resolve(op.responses?.[response.statusCode]?.content?.['application/json']?.schema)
            if (schema && response.body) {
              const validate = ajv.compile(schema)
              if (!validate(response.json()))
                throw new Error(
                  `response does not match its schema (${ajv.errorsText(validate.errors)}): ${what}`,
                )
            }
          }),
          { numRuns: RUNS, endOnFailure: true },
        )
        .catch((err: Error) => {
          // the cause (the property's own error) is what explains the failure; fast-check's seed and
          // counterexample follow it in the message
          const cause = err.cause instanceof Error ? err.cause.message : err.message
          failures.push(cause.replace(/(.)\1{40,}/g, '$1…').slice(0, 700))
        })
    }
    expect(failures, failures.join('\n\n')).toEqual([])
  }, 600_000)
})
