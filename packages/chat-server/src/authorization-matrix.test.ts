/**
 * Authorization matrix: every route of the OpenAPI document × every kind of caller, compared with
 * the table below. Each case gets a world of its own (users, a private channel with an owner, a
 * moderator and a member, a message, a poll, ...), so destructive calls do not disturb others.
 *
 * A row lists the callers that are let through; every other caller must be refused with 401, 403
 * or 404. "Let through" means not refused for who they are: any status but those three and 5xx
 * (a 400 or 409 about the request itself still proves the caller passed authorization).
 *
 * Adding a route: add one row to ROUTES, keyed `METHOD /path` exactly as in /openapi.json, with the
 * callers allowed and a request body when it needs one. A route without a row fails the first
 * test, which names it.
 */

import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoApp } from './demo/seed.js'
import { ADMIN_KEY, client, type Harness, seedApp, startHarness } from './testing/harness.js'
import { multipartFile } from './testing/multipart.js'

type Role = 'anonymous' | 'otherTenant' | 'nonMember' | 'member' | 'moderator' | 'owner' | 'backend' | 'admin'
const ROLES: Role[] = [
  'anonymous',
  'otherTenant',
  'nonMember',
  'member',
  'moderator',
  'owner',
  'backend',
  'admin',
]

// Caller groups the rows are written with.
const CHANNEL_USERS: Role[] = ['member', 'moderator', 'owner']
const READERS: Role[] = [...CHANNEL_USERS, 'backend']
const MODERATORS: Role[] = ['moderator', 'owner', 'backend']
const OWNERS: Role[] = ['owner', 'backend']
/** Any user token, each acting on its own data (another tenant's user on its own app). */
const ANY_USER: Role[] = ['otherTenant', 'nonMember', ...CHANNEL_USERS]
const BACKEND: Role[] = ['backend']
const ADMIN: Role[] = ['admin']
const NOBODY: Role[] = []

interface Row {
  allow: Role[]
  body?: (w: World) => unknown
  query?: string
  /** State the call needs, made by the caller (`as`) itself: a reaction to remove, a block to lift. */
  prepare?: (w: World, as: ReturnType<typeof callerAs>) => Promise<unknown>
}

/** Marker for the multipart upload route: the body is a small text file as multipart/form-data. */
const MULTIPART = { multipart: true }

/** The table. Keys are `METHOD /path` as in /openapi.json. */
const ROUTES: Record<string, Row> = {
  'GET /v1/admin/apps': { allow: ADMIN },
  'POST /v1/admin/apps': { allow: ADMIN, body: () => ({ name: 'made by the matrix' }) },
  'GET /v1/admin/apps/{appId}': { allow: ADMIN },
  'DELETE /v1/admin/apps/{appId}': { allow: ADMIN },
  'GET /v1/admin/apps/{appId}/audit': { allow: ADMIN },

  // development only (404 in production, see demo/demo.test.ts): open to anyone, for the seeded demo app
  'GET /v1/dev/demo': { allow: ROLES },
  'POST /v1/dev/demo/tokens': { allow: ROLES, body: () => ({ userId: 'alice' }) },

  'GET /v1/app': { allow: BACKEND },
  'PATCH /v1/app': { allow: BACKEND, body: () => ({ settings: { profanity: 'mask' } }) },
  'GET /v1/app/audit': { allow: BACKEND },
  'GET /v1/app/keys': { allow: BACKEND },
  'POST /v1/app/keys': { allow: BACKEND, body: () => ({ name: 'k2' }) },
  'DELETE /v1/app/keys/{keyId}': { allow: BACKEND },
  'POST /v1/app/signing-keys/rotate': { allow: BACKEND },

  'GET /v1/channels': { allow: [...ANY_USER, 'backend'] },
  'POST /v1/channels': {
    allow: [...ANY_USER, 'backend'],
    body: (w) => ({ type: 'messaging', members: [w.member] }),
  },
  'GET /v1/channels/{channelId}': { allow: READERS },
  'PATCH /v1/channels/{channelId}': { allow: OWNERS, body: () => ({ name: 'renamed' }) },
  'DELETE /v1/channels/{channelId}': { allow: OWNERS },
  'POST /v1/channels/{channelId}/archive': { allow: OWNERS },
  'POST /v1/channels/{channelId}/unarchive': { allow: OWNERS },
  // the channel is private: nobody joins it by themselves
  'POST /v1/channels/{channelId}/join': { allow: NOBODY },
  'POST /v1/channels/{channelId}/leave': { allow: CHANNEL_USERS },
  'POST /v1/channels/{channelId}/members': { allow: MODERATORS, body: (w) => ({ userIds: [w.nonMember] }) },
  // {userId} is the member: moderators remove them, and they may remove themselves (leave)
  'DELETE /v1/channels/{channelId}/members/{userId}': { allow: [...MODERATORS, 'member'] },
  'PATCH /v1/channels/{channelId}/members/{userId}': { allow: OWNERS, body: () => ({ role: 'moderator' }) },
  'GET /v1/channels/{channelId}/messages': { allow: READERS },
  'POST /v1/channels/{channelId}/messages': { allow: READERS, body: () => ({ text: 'hello' }) },
  'GET /v1/channels/{channelId}/pins': { allow: READERS },
  'POST /v1/channels/{channelId}/read': { allow: CHANNEL_USERS, body: () => ({}) },
  'POST /v1/channels/{channelId}/typing': { allow: CHANNEL_USERS, body: () => ({ state: 'start' }) },
  'POST /v1/channels/{channelId}/mute': { allow: CHANNEL_USERS },
  'POST /v1/channels/{channelId}/unmute': { allow: CHANNEL_USERS },
  // multipart: a JSON body is refused as 415 after authorization, which is all this row checks
  'POST /v1/channels/{channelId}/uploads': { allow: READERS, body: () => MULTIPART },
  'POST /v1/channels/{channelId}/uploads/presign': {
    allow: READERS,
    body: () => ({ fileName: 'a.txt', contentType: 'text/plain', size: 3 }),
  },
  // signed URLs: the signature is the credential, whoever presents it
  'GET /v1/files/{*}': { allow: ROLES },
  'PUT /v1/files/{*}': { allow: ROLES, body: () => 'abc' },

  'GET /v1/me': { allow: ANY_USER },
  'DELETE /v1/me': { allow: ANY_USER },
  'GET /v1/me/blocks': { allow: ANY_USER },
  // {userId} is the member (blocking oneself is a 400 about the request, not a refusal)
  'PUT /v1/me/blocks/{userId}': { allow: ['nonMember', ...CHANNEL_USERS] },
  'DELETE /v1/me/blocks/{userId}': {
    allow: ['nonMember', 'moderator', 'owner'],
    prepare: (w, as) => as.put(`/v1/me/blocks/${w.member}`),
  },
  'GET /v1/me/export': { allow: ANY_USER },
  'POST /v1/me/logout': { allow: ANY_USER },
  'GET /v1/me/mentions': { allow: ANY_USER },
  'POST /v1/me/presence': { allow: ANY_USER, body: () => ({ status: 'away' }) },
  'GET /v1/me/privacy-requests': { allow: ANY_USER },
  'POST /v1/me/privacy-requests': { allow: ANY_USER, body: () => ({ kind: 'access' }) },
  // {requestId} is the member's own request
  'POST /v1/me/privacy-requests/{requestId}/fulfil': { allow: ['member'] },
  'POST /v1/me/tokens/connection': { allow: ANY_USER },
  'GET /v1/me/unread': { allow: ANY_USER },

  'GET /v1/messages/{messageId}': { allow: READERS },
  // {messageId} is the owner's message: only its author (and a backend) edits it
  'PATCH /v1/messages/{messageId}': { allow: OWNERS, body: () => ({ text: 'edited' }) },
  'DELETE /v1/messages/{messageId}': { allow: MODERATORS },
  'GET /v1/messages/{messageId}/history': { allow: READERS },
  'GET /v1/messages/{messageId}/replies': { allow: READERS },
  'GET /v1/messages/{messageId}/seen-by': { allow: READERS },
  'POST /v1/messages/{messageId}/flags': { allow: READERS, body: () => ({ reason: 'spam' }) },
  'POST /v1/messages/{messageId}/pin': { allow: READERS },
  'DELETE /v1/messages/{messageId}/pin': { allow: READERS },
  'POST /v1/messages/{messageId}/poll': {
    allow: OWNERS,
    body: () => ({ question: 'q', options: ['a', 'b'] }),
  },
  'POST /v1/messages/{messageId}/reactions': { allow: CHANNEL_USERS, body: () => ({ type: 'like' }) },
  'DELETE /v1/messages/{messageId}/reactions/{type}': {
    allow: CHANNEL_USERS,
    prepare: (w, as) => as.post(`/v1/messages/${w.message}/reactions`, { type: 'like' }),
  },

  'GET /v1/moderation/bans': { allow: BACKEND },
  'POST /v1/moderation/bans': { allow: BACKEND, body: (w) => ({ userId: w.nonMember }) },
  'DELETE /v1/moderation/bans': {
    allow: BACKEND,
    query: 'userId=matrix-banned',
    prepare: async () => {
      await A.server.put('/v1/users/matrix-banned', { name: 'banned' })
      await A.server.post('/v1/moderation/bans', { userId: 'matrix-banned' })
    },
  },
  'GET /v1/moderation/flags': { allow: [...ANY_USER, 'backend'] },
  'POST /v1/moderation/flags/{flagId}/review': { allow: MODERATORS, body: () => ({ action: 'dismiss' }) },

  'GET /v1/polls/{pollId}': { allow: READERS },
  // the poll's creator (the owner) or a moderator
  'POST /v1/polls/{pollId}/close': { allow: MODERATORS },
  'POST /v1/polls/{pollId}/votes': { allow: CHANNEL_USERS, body: (w) => ({ optionIds: [w.option] }) },
  'DELETE /v1/polls/{pollId}/votes': {
    allow: CHANNEL_USERS,
    prepare: (w, as) => as.post(`/v1/polls/${w.poll}/votes`, { optionIds: [w.option] }),
  },

  'GET /v1/privacy-requests': { allow: BACKEND },
  'GET /v1/privacy-requests/{requestId}': { allow: BACKEND },
  'POST /v1/privacy-requests/{requestId}/verify': { allow: BACKEND, body: () => ({ method: 'matrix' }) },
  'POST /v1/privacy-requests/{requestId}/reject': { allow: BACKEND, body: () => ({ reason: 'matrix' }) },
  'POST /v1/privacy-requests/{requestId}/fulfil': { allow: BACKEND, body: () => ({}) },

  'GET /v1/search/messages': { allow: [...ANY_USER, 'backend'], query: 'q=hello' },
  // no credentials: the refresh token in the body is the credential
  'POST /v1/tokens/refresh': { allow: ROLES, body: (w) => ({ refreshToken: w.refreshToken }) },

  'POST /v1/uploads/{uploadId}/complete': { allow: OWNERS },
  'GET /v1/uploads/{uploadId}/url': { allow: READERS },

  'POST /v1/users/bulk': { allow: BACKEND, body: () => ({ users: [{ id: 'bulk-made', name: 'Bulk' }] }) },
  // any user or backend of the same app; another tenant's user does not see this app's users
  'GET /v1/users/{userId}': { allow: ['nonMember', ...CHANNEL_USERS, 'backend'] },
  'PUT /v1/users/{userId}': { allow: BACKEND, body: () => ({ name: 'Renamed' }) },
  'DELETE /v1/users/{userId}': { allow: BACKEND },
  'GET /v1/users/{userId}/export': { allow: BACKEND },
  'POST /v1/users/{userId}/privacy-requests': { allow: BACKEND, body: () => ({ kind: 'access' }) },
  'POST /v1/users/{userId}/tokens': { allow: BACKEND },
  'POST /v1/users/{userId}/tokens/revoke': { allow: BACKEND, body: () => ({}) },

  'GET /v1/webhooks': { allow: BACKEND },
  'POST /v1/webhooks': { allow: BACKEND, body: () => ({ url: 'http://127.0.0.1:9/hook' }) },
  'GET /v1/webhooks/{endpointId}': { allow: BACKEND },
  'PATCH /v1/webhooks/{endpointId}': { allow: BACKEND, body: () => ({ enabled: false }) },
  'DELETE /v1/webhooks/{endpointId}': { allow: BACKEND },
  'GET /v1/webhooks/{endpointId}/deliveries': { allow: BACKEND },
  'POST /v1/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver': { allow: BACKEND },
}

let h: Harness
let A: Awaited<ReturnType<typeof seedApp>>
let B: Awaited<ReturnType<typeof seedApp>>
let worlds = 0

/** One case's world in app A (and a user of app B), with fresh users so that erasing or logging
 * out one cannot touch another case. */
interface World {
  n: number
  member: string
  nonMember: string
  message: string
  poll: string
  option: string
  refreshToken: string
  params: Record<string, () => Promise<string>>
  headers: Record<Role, Record<string, string>>
}

async function makeWorld(): Promise<World> {
  const n = ++worlds
  const id = (role: string) => `w${n}-${role}`
  const users = ['owner', 'moderator', 'member', 'outsider'].map(id)
  const bulk = await A.server.post('/v1/users/bulk', { users: users.map((u) => ({ id: u, name: u })) })
  expect(bulk.status).toBe(200)
  await B.server.put(`/v1/users/${id('other')}`, { name: 'other' })
  const token = async (tenant: typeof A, user: string) =>
    (await tenant.server.post(`/v1/users/${user}/tokens`)).body
  const [owner, moderator, member, outsider, other] = await Promise.all([
    token(A, id('owner')),
    token(A, id('moderator')),
    token(A, id('member')),
    token(A, id('outsider')),
    token(B, id('other')),
  ])
  const c = client(h.app)
  const asOwner = c.user(owner.accessToken)
  const channel = id('room')
  const created = await asOwner.post('/v1/channels', {
    type: 'messaging',
    id: channel,
    members: [id('moderator'), id('member')],
  })
  expect(created.status).toBe(201)
  expect(
    (await asOwner.patch(`/v1/channels/${channel}/members/${id('moderator')}`, { role: 'moderator' })).status,
  ).toBe(200)
  const message = (await asOwner.post(`/v1/channels/${channel}/messages`, { text: 'hello' })).body.message.id
  const poll = (await asOwner.post(`/v1/messages/${message}/poll`, { question: 'q', options: ['a', 'b'] }))
    .body.poll
  const bearer = (t: { accessToken: string }) => ({ authorization: `Bearer ${t.accessToken}` })
  const presigned = () =>
    asOwner.post(`/v1/channels/${channel}/uploads/presign`, {
      fileName: 'a.txt',
      contentType: 'text/plain',
      size: 3,
    })
  const endpoint = async () =>
    (await A.server.post('/v1/webhooks', { url: 'http://127.0.0.1:9/hook' })).body.endpoint.id
  return {
    n,
    member: id('member'),
    nonMember: id('outsider'),
    message,
    poll: poll.id,
    option: poll.options[0].id,
    refreshToken: member.refreshToken,
    headers: {
      anonymous: {},
      otherTenant: bearer(other),
      nonMember: bearer(outsider),
      member: bearer(member),
      moderator: bearer(moderator),
      owner: bearer(owner),
      backend: { 'x-api-key': A.apiKey },
      admin: { authorization: `Bearer ${ADMIN_KEY}` },
    },
    params: {
      channelId: async () => channel,
      messageId: async () => message,
      pollId: async () => poll.id,
      userId: async () => id('member'),
      type: async () => 'like',
      appId: async () => (await c.admin.post('/v1/admin/apps', { name: `throwaway ${n}` })).body.app.id,
      keyId: async () => (await A.server.post('/v1/app/keys', { name: `k${n}` })).body.key.id,
      uploadId: async () => (await presigned()).body.upload.id,
      flagId: async () =>
        (await c.user(member.accessToken).post(`/v1/messages/${message}/flags`, { reason: 'x' })).body.flag
          .id,
      requestId: async () =>
        (await A.server.post(`/v1/users/${id('member')}/privacy-requests`, { kind: 'access' })).body.request
          .id,
      endpointId: endpoint,
      // a delivery row of the endpoint the URL names (inserted: delivering for real would fan out
      // every concurrent case's events to every endpoint of the app)
      deliveryId: async () => {
        const id = randomUUID()
        await h.database.kysely
          .insertInto('webhook_deliveries')
          .values({
            app_id: A.appId,
            id,
            endpoint_id: await endpointIdOf(n),
            event_id: randomUUID(),
            event_type: 'message.new',
            body: '{}',
            status: 'failed',
          })
          .execute()
        return id
      },
      // PUT: a presigned upload URL; GET: the signed URL of a completed upload
      '*': async () => {
        const upload = (await presigned()).body
        const put = new URL(upload.uploadUrl, 'http://x')
        const key = put.pathname.replace('/v1/files/', '')
        if (!getsFile.has(n)) return key + put.search
        await h.app.inject({
          method: 'PUT',
          url: upload.uploadUrl,
          headers: { 'content-type': 'text/plain' },
          payload: 'abc',
        })
        await asOwner.post(`/v1/uploads/${upload.upload.id}/complete`)
        const get = new URL((await asOwner.get(`/v1/uploads/${upload.upload.id}/url`)).body.url, 'http://x')
        return get.pathname.replace('/v1/files/', '') + get.search
      },
    },
  }
}

/** The redeliver row needs a delivery of the endpoint its URL names: both come from one endpoint. */
const endpointsByWorld = new Map<number, Promise<string>>()
const endpointIdOf = (n: number) => endpointsByWorld.get(n) as Promise<string>
/** Worlds whose `{*}` is read (GET) rather than written (PUT). */
const getsFile = new Set<number>()

/** The harness client acting with a role's credentials (for a row's `prepare`). */
function callerAs(headers: Record<string, string>) {
  const c = client(h.app)
  if (headers['x-api-key']) return c.server(headers['x-api-key'])
  const bearer = headers.authorization?.replace('Bearer ', '')
  return bearer ? c.user(bearer) : c.anonymous
}

/** Headers and payload for a row's body: JSON, raw text, or the multipart marker. */
function request(body: unknown, credentials: Record<string, string>) {
  if (body === undefined) return { headers: credentials }
  if (body === MULTIPART) {
    const form = multipartFile('a.txt', 'text/plain', Buffer.from('abc'))
    return { headers: { ...credentials, 'content-type': form.contentType }, payload: form.payload }
  }
  if (typeof body === 'string')
    return { headers: { ...credentials, 'content-type': 'text/plain' }, payload: body }
  return { headers: { ...credentials, 'content-type': 'application/json' }, payload: JSON.stringify(body) }
}

async function urlFor(route: string, world: World, row: Row): Promise<string> {
  let path = route.slice(route.indexOf(' ') + 1)
  for (const name of path.match(/\{[^}]+\}/g) ?? []) {
    const key = name.slice(1, -1)
    let value: string
    if (key === 'endpointId') {
      const shared = world.params.endpointId!()
      endpointsByWorld.set(world.n, shared)
      value = await shared
    } else {
      if (key === '*' && route.startsWith('GET ')) getsFile.add(world.n)
      const make = world.params[key]
      if (!make) throw new Error(`no fixture for {${key}} in ${route}: add one to makeWorld`)
      value = await make()
    }
    path = path.replace(name, key === '*' ? value : encodeURIComponent(value))
  }
  if (row.query) path += (path.includes('?') ? '&' : '?') + row.query
  return path
}

beforeAll(async () => {
  h = await startHarness('authz_matrix', { RATE_LIMIT_ENABLED: 'false' })
  A = await seedApp(h.app, 'matrix A', ['seed'])
  B = await seedApp(h.app, 'matrix B', ['seed'])
  await seedDemoApp(h.app.chat.services)
}, 60_000)
afterAll(async () => h?.close())

describe('authorization matrix', () => {
  it('has a row for every route in the OpenAPI document, and no row for a route that is gone', async () => {
    const spec = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    const routes = Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    )
    const missing = routes.filter((route) => !(route in ROUTES))
    expect(missing, `add a row to ROUTES in authorization-matrix.test.ts for: ${missing.join(', ')}`).toEqual(
      [],
    )
    const stale = Object.keys(ROUTES).filter((route) => !routes.includes(route))
    expect(stale, `rows for routes that no longer exist: ${stale.join(', ')}`).toEqual([])
  })

  for (const [route, row] of Object.entries(ROUTES)) {
    it.concurrent(route, { timeout: 120_000 }, async () => {
      const method = route.slice(0, route.indexOf(' ')) as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
      const outcomes: string[] = []
      const wrong: string[] = []
      for (const role of ROLES) {
        const world = await makeWorld()
        const url = await urlFor(route, world, row)
        await row.prepare?.(world, callerAs(world.headers[role]))
        const response = await h.app.inject({
          method,
          url,
          ...request(row.body?.(world), world.headers[role]),
        })
        const status = response.statusCode
        const allowed = row.allow.includes(role)
        const refused = status === 401 || status === 403 || status === 404
        outcomes.push(`${role} ${status}`)
        if (status >= 500 || refused === allowed)
          wrong.push(
            `${role}: ${status} (${allowed ? 'should pass' : 'should be refused'}) ${response.body.slice(0, 160)}`,
          )
      }
      expect(wrong, `${route}\n${outcomes.join(', ')}`).toEqual([])
    })
  }
})
