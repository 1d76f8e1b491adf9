import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, type Harness, seedApp, startHarness } from './testing/harness.js'
import { multipartFile } from './testing/multipart.js'
import { tenantSnapshot } from './testing/snapshot.js'

/**
 * Tenant isolation matrix: app A's backend key and user tokens are pointed at every route, aimed at
 * app B's resources. Nothing of B may come back, B's stored data must not change, and requests that
 * name B's resources by id must fail as if they did not exist. Both apps use the same user ids and
 * a shared channel id, so a query that forgot app_id would show up here.
 */
let h: Harness
let A: Awaited<ReturnType<typeof seedApp>>
let B: Awaited<ReturnType<typeof seedApp>>
const b: Record<string, string> = {}
const SECRET = 'B-SECRET'

beforeAll(async () => {
  h = await startHarness('isolation')
  A = await seedApp(h.app, 'tenant A', ['alice', 'bob'])
  B = await seedApp(h.app, 'tenant B', ['alice', 'bob', 'bonly'])
  const c = client(h.app)
  // B's world: a shared-name channel, a private one, a thread, reactions, a poll, an upload, a flag, a webhook, a ban
  await B.users.alice!.post('/v1/channels', {
    type: 'team',
    id: 'shared',
    name: `${SECRET} shared`,
    members: ['bob'],
  })
  await B.users.alice!.post('/v1/channels', {
    type: 'messaging',
    id: 'b-room',
    name: `${SECRET} room`,
    members: ['bob', 'bonly'],
  })
  await A.users.alice!.post('/v1/channels', {
    type: 'team',
    id: 'shared',
    name: 'A shared',
    members: ['bob'],
  })
  const m = await B.users.alice!.post('/v1/channels/b-room/messages', {
    text: `${SECRET} message mentioning @bob`,
    mentions: ['bob'],
  })
  b.message = m.body.message.id
  b.reply = (
    await B.users.bob!.post('/v1/channels/b-room/messages', { text: `${SECRET} reply`, parentId: b.message })
  ).body.message.id
  await B.users.bob!.post(`/v1/messages/${b.message}/reactions`, { type: 'like' })
  const poll = await B.users.alice!.post(`/v1/messages/${b.message}/poll`, {
    question: `${SECRET} poll`,
    options: ['x', 'y'],
  })
  b.poll = poll.body.poll.id
  b.option = poll.body.poll.options[0].id
  await B.users.bob!.post(`/v1/polls/${b.poll}/votes`, { optionIds: [b.option] })
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
    .png()
    .toBuffer()
  const form = multipartFile('b.png', 'image/png', png)
  const up = await h.app.inject({
    method: 'POST',
    url: '/v1/channels/b-room/uploads',
    headers: { authorization: `Bearer ${B.tokens.alice}`, 'content-type': form.contentType },
    payload: form.payload,
  })
  b.upload = up.json().upload.id
  const pre = await B.users.alice!.post('/v1/channels/b-room/uploads/presign', {
    fileName: 'p.txt',
    contentType: 'text/plain',
    size: 3,
  })
  b.pending = pre.body.upload.id
  b.flag = (await B.users.bob!.post(`/v1/messages/${b.message}/flags`, { reason: SECRET })).body.flag.id
  const hook = await B.server.post('/v1/webhooks', { url: 'http://127.0.0.1:9/b-secret' })
  b.webhook = hook.body.endpoint.id
  await h.app.chat.runWebhooks()
  b.delivery = (await B.server.get(`/v1/webhooks/${b.webhook}/deliveries`)).body.deliveries[0].id
  b.key = (await B.server.get('/v1/app/keys')).body.keys[0].id
  await B.server.post('/v1/moderation/bans', { userId: 'bonly', reason: SECRET })
  b.session = (await B.server.post('/v1/users/bob/tokens')).body.sessionId
  b.refresh = (await B.server.post('/v1/users/alice/tokens')).body.refreshToken
  b.privacyRequest = (
    await B.server.post('/v1/users/bonly/privacy-requests', { kind: 'access' })
  ).body.request.id
  expect(Object.values(b).every(Boolean)).toBe(true)
  void c
})
afterAll(async () => h?.close())

type Who = 'user' | 'server'
interface Case {
  route: string
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: () => string
  body?: () => unknown
  who: Who[]
  /** deny: must fail with 4xx; own: may succeed, but only on A's own data. */
  expect: 'deny' | 'own'
}

const cases: Case[] = [
  { route: 'GET /v1/app', method: 'GET', url: () => '/v1/app', who: ['server'], expect: 'own' },
  {
    route: 'PATCH /v1/app',
    method: 'PATCH',
    url: () => '/v1/app',
    body: () => ({ settings: { profanity: 'mask' } }),
    who: ['server'],
    expect: 'own',
  },
  { route: 'GET /v1/app/keys', method: 'GET', url: () => '/v1/app/keys', who: ['server'], expect: 'own' },
  {
    route: 'POST /v1/app/keys',
    method: 'POST',
    url: () => '/v1/app/keys',
    body: () => ({ name: 'a2' }),
    who: ['server'],
    expect: 'own',
  },
  {
    route: 'DELETE /v1/app/keys/{keyId}',
    method: 'DELETE',
    url: () => `/v1/app/keys/${b.key}`,
    who: ['server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/app/signing-keys/rotate',
    method: 'POST',
    url: () => '/v1/app/signing-keys/rotate',
    who: ['server'],
    expect: 'own',
  },
  {
    route: 'PUT /v1/users/{userId}',
    method: 'PUT',
    url: () => '/v1/users/bob',
    body: () => ({ name: 'A bob' }),
    who: ['server'],
    expect: 'own',
  },
  {
    route: 'POST /v1/users/bulk',
    method: 'POST',
    url: () => '/v1/users/bulk',
    body: () => ({ users: [{ id: 'alice', name: 'A alice' }] }),
    who: ['server'],
    expect: 'own',
  },
  {
    route: 'GET /v1/users/{userId}',
    method: 'GET',
    url: () => '/v1/users/bonly',
    who: ['server', 'user'],
    expect: 'deny',
  },
  {
    route: 'DELETE /v1/users/{userId}',
    method: 'DELETE',
    url: () => '/v1/users/bonly',
    who: ['server'],
    expect: 'deny',
  },
  { route: 'GET /v1/me', method: 'GET', url: () => '/v1/me', who: ['user'], expect: 'own' },
  {
    route: 'POST /v1/users/{userId}/tokens',
    method: 'POST',
    url: () => '/v1/users/bonly/tokens',
    who: ['server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/users/{userId}/tokens/revoke',
    method: 'POST',
    url: () => '/v1/users/bob/tokens/revoke',
    body: () => ({ sessionId: b.session }),
    who: ['server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/tokens/refresh',
    method: 'POST',
    url: () => '/v1/tokens/refresh',
    body: () => ({ refreshToken: `${b.refresh!.slice(0, -4)}AAAA` }),
    who: ['user'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/me/tokens/connection',
    method: 'POST',
    url: () => '/v1/me/tokens/connection',
    who: ['user'],
    expect: 'own',
  },
  { route: 'POST /v1/me/logout', method: 'POST', url: () => '/v1/me/logout', who: ['user'], expect: 'own' },
  {
    route: 'POST /v1/channels',
    method: 'POST',
    url: () => '/v1/channels',
    body: () => ({ type: 'messaging', members: ['bonly'] }),
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'GET /v1/channels',
    method: 'GET',
    url: () => '/v1/channels?includePublic=true',
    who: ['user', 'server'],
    expect: 'own',
  },
  {
    route: 'GET /v1/channels/{channelId}',
    method: 'GET',
    url: () => '/v1/channels/b-room',
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'PATCH /v1/channels/{channelId}',
    method: 'PATCH',
    url: () => '/v1/channels/b-room',
    body: () => ({ name: 'x' }),
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'DELETE /v1/channels/{channelId}',
    method: 'DELETE',
    url: () => '/v1/channels/b-room',
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/channels/{channelId}/archive',
    method: 'POST',
    url: () => '/v1/channels/b-room/archive',
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/channels/{channelId}/unarchive',
    method: 'POST',
    url: () => '/v1/channels/b-room/unarchive',
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/channels/{channelId}/members',
    method: 'POST',
    url: () => '/v1/channels/b-room/members',
    body: () => ({ userIds: ['alice'] }),
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'DELETE /v1/channels/{channelId}/members/{userId}',
    method: 'DELETE',
    url: () => '/v1/channels/b-room/members/bob',
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'PATCH /v1/channels/{channelId}/members/{userId}',
    method: 'PATCH',
    url: () => '/v1/channels/b-room/members/bob',
    body: () => ({ role: 'moderator' }),
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/channels/{channelId}/join',
    method: 'POST',
    url: () => '/v1/channels/b-room/join',
    who: ['user'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/channels/{channelId}/leave',
    method: 'POST',
    url: () => '/v1/channels/b-room/leave',
    who: ['user'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/channels/{channelId}/mute',
    method: 'POST',
    url: () => '/v1/channels/b-room/mute',
    who: ['user'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/channels/{channelId}/unmute',
    method: 'POST',
    url: () => '/v1/channels/b-room/unmute',
    who: ['user'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/channels/{channelId}/messages',
    method: 'POST',
    url: () => '/v1/channels/b-room/messages',
    body: () => ({ text: 'intrusion' }),
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'GET /v1/channels/{channelId}/messages',
    method: 'GET',
    url: () => '/v1/channels/b-room/messages',
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'GET /v1/channels/{channelId}/pins',
    method: 'GET',
    url: () => '/v1/channels/b-room/pins',
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'GET /v1/messages/{messageId}',
    method: 'GET',
    url: () => `/v1/messages/${b.message}`,
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'PATCH /v1/messages/{messageId}',
    method: 'PATCH',
    url: () => `/v1/messages/${b.message}`,
    body: () => ({ text: 'x' }),
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'DELETE /v1/messages/{messageId}',
    method: 'DELETE',
    url: () => `/v1/messages/${b.message}?hard=true`,
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'GET /v1/messages/{messageId}/history',
    method: 'GET',
    url: () => `/v1/messages/${b.message}/history`,
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/messages/{messageId}/pin',
    method: 'POST',
    url: () => `/v1/messages/${b.message}/pin`,
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'DELETE /v1/messages/{messageId}/pin',
    method: 'DELETE',
    url: () => `/v1/messages/${b.message}/pin`,
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'GET /v1/messages/{messageId}/replies',
    method: 'GET',
    url: () => `/v1/messages/${b.message}/replies`,
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/messages/{messageId}/reactions',
    method: 'POST',
    url: () => `/v1/messages/${b.message}/reactions`,
    body: () => ({ type: 'like' }),
    who: ['user'],
    expect: 'deny',
  },
  {
    route: 'DELETE /v1/messages/{messageId}/reactions/{type}',
    method: 'DELETE',
    url: () => `/v1/messages/${b.message}/reactions/like`,
    who: ['user'],
    expect: 'deny',
  },
  { route: 'GET /v1/me/mentions', method: 'GET', url: () => '/v1/me/mentions', who: ['user'], expect: 'own' },
  {
    route: 'POST /v1/channels/{channelId}/read',
    method: 'POST',
    url: () => '/v1/channels/b-room/read',
    body: () => ({}),
    who: ['user'],
    expect: 'deny',
  },
  { route: 'GET /v1/me/unread', method: 'GET', url: () => '/v1/me/unread', who: ['user'], expect: 'own' },
  {
    route: 'GET /v1/messages/{messageId}/seen-by',
    method: 'GET',
    url: () => `/v1/messages/${b.message}/seen-by`,
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/channels/{channelId}/typing',
    method: 'POST',
    url: () => '/v1/channels/b-room/typing',
    body: () => ({ state: 'start' }),
    who: ['user'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/me/presence',
    method: 'POST',
    url: () => '/v1/me/presence',
    body: () => ({ status: 'online' }),
    who: ['user'],
    expect: 'own',
  },
  {
    route: 'POST /v1/messages/{messageId}/poll',
    method: 'POST',
    url: () => `/v1/messages/${b.reply}/poll`,
    body: () => ({ question: 'q', options: ['a', 'b'] }),
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'GET /v1/polls/{pollId}',
    method: 'GET',
    url: () => `/v1/polls/${b.poll}`,
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/polls/{pollId}/votes',
    method: 'POST',
    url: () => `/v1/polls/${b.poll}/votes`,
    body: () => ({ optionIds: [b.option] }),
    who: ['user'],
    expect: 'deny',
  },
  {
    route: 'DELETE /v1/polls/{pollId}/votes',
    method: 'DELETE',
    url: () => `/v1/polls/${b.poll}/votes`,
    who: ['user'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/polls/{pollId}/close',
    method: 'POST',
    url: () => `/v1/polls/${b.poll}/close`,
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/channels/{channelId}/uploads/presign',
    method: 'POST',
    url: () => '/v1/channels/b-room/uploads/presign',
    body: () => ({ fileName: 'a.txt', contentType: 'text/plain', size: 3 }),
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/uploads/{uploadId}/complete',
    method: 'POST',
    url: () => `/v1/uploads/${b.pending}/complete`,
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'GET /v1/uploads/{uploadId}/url',
    method: 'GET',
    url: () => `/v1/uploads/${b.upload}/url`,
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'GET /v1/search/messages',
    method: 'GET',
    url: () => `/v1/search/messages?q=${SECRET}`,
    who: ['user', 'server'],
    expect: 'own',
  },
  { route: 'GET /v1/me/blocks', method: 'GET', url: () => '/v1/me/blocks', who: ['user'], expect: 'own' },
  {
    route: 'PUT /v1/me/blocks/{userId}',
    method: 'PUT',
    url: () => '/v1/me/blocks/bonly',
    who: ['user'],
    expect: 'deny',
  },
  {
    route: 'DELETE /v1/me/blocks/{userId}',
    method: 'DELETE',
    url: () => '/v1/me/blocks/bonly',
    who: ['user'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/moderation/bans',
    method: 'POST',
    url: () => '/v1/moderation/bans',
    body: () => ({ userId: 'bonly' }),
    who: ['server'],
    expect: 'deny',
  },
  {
    route: 'DELETE /v1/moderation/bans',
    method: 'DELETE',
    url: () => '/v1/moderation/bans?userId=bonly',
    who: ['server'],
    expect: 'deny',
  },
  {
    route: 'GET /v1/moderation/bans',
    method: 'GET',
    url: () => '/v1/moderation/bans',
    who: ['server'],
    expect: 'own',
  },
  {
    route: 'POST /v1/messages/{messageId}/flags',
    method: 'POST',
    url: () => `/v1/messages/${b.message}/flags`,
    body: () => ({ reason: 'x' }),
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'GET /v1/moderation/flags',
    method: 'GET',
    url: () => '/v1/moderation/flags',
    who: ['user', 'server'],
    expect: 'own',
  },
  {
    route: 'POST /v1/moderation/flags/{flagId}/review',
    method: 'POST',
    url: () => `/v1/moderation/flags/${b.flag}/review`,
    body: () => ({ action: 'delete_message' }),
    who: ['user', 'server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/webhooks',
    method: 'POST',
    url: () => '/v1/webhooks',
    body: () => ({ url: 'http://127.0.0.1:9/a' }),
    who: ['server'],
    expect: 'own',
  },
  { route: 'GET /v1/webhooks', method: 'GET', url: () => '/v1/webhooks', who: ['server'], expect: 'own' },
  {
    route: 'GET /v1/webhooks/{endpointId}',
    method: 'GET',
    url: () => `/v1/webhooks/${b.webhook}`,
    who: ['server'],
    expect: 'deny',
  },
  {
    route: 'PATCH /v1/webhooks/{endpointId}',
    method: 'PATCH',
    url: () => `/v1/webhooks/${b.webhook}`,
    body: () => ({ enabled: false }),
    who: ['server'],
    expect: 'deny',
  },
  {
    route: 'DELETE /v1/webhooks/{endpointId}',
    method: 'DELETE',
    url: () => `/v1/webhooks/${b.webhook}`,
    who: ['server'],
    expect: 'deny',
  },
  {
    route: 'GET /v1/webhooks/{endpointId}/deliveries',
    method: 'GET',
    url: () => `/v1/webhooks/${b.webhook}/deliveries`,
    who: ['server'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver',
    method: 'POST',
    url: () => `/v1/webhooks/${b.webhook}/deliveries/${b.delivery}/redeliver`,
    who: ['server'],
    expect: 'deny',
  },
  { route: 'GET /v1/me/export', method: 'GET', url: () => '/v1/me/export', who: ['user'], expect: 'own' },
  {
    route: 'GET /v1/users/{userId}/export',
    method: 'GET',
    url: () => '/v1/users/bonly/export',
    who: ['server'],
    expect: 'deny',
  },
  { route: 'DELETE /v1/me', method: 'DELETE', url: () => '/v1/me', who: ['user'], expect: 'own' },
  {
    route: 'POST /v1/me/privacy-requests',
    method: 'POST',
    url: () => '/v1/me/privacy-requests',
    body: () => ({ kind: 'portability' }),
    who: ['user'],
    expect: 'own',
  },
  {
    route: 'GET /v1/me/privacy-requests',
    method: 'GET',
    url: () => '/v1/me/privacy-requests',
    who: ['user'],
    expect: 'own',
  },
  {
    route: 'POST /v1/me/privacy-requests/{requestId}/fulfil',
    method: 'POST',
    url: () => `/v1/me/privacy-requests/${b.privacyRequest}/fulfil`,
    who: ['user'],
    expect: 'deny',
  },
  {
    route: 'POST /v1/users/{userId}/privacy-requests',
    method: 'POST',
    url: () => '/v1/users/bonly/privacy-requests',
    body: () => ({ kind: 'erasure' }),
    who: ['server'],
    expect: 'deny',
  },
  {
    route: 'GET /v1/privacy-requests',
    method: 'GET',
    url: () => '/v1/privacy-requests?userId=bonly',
    who: ['server'],
    expect: 'own',
  },
  {
    route: 'GET /v1/privacy-requests/{requestId}',
    method: 'GET',
    url: () => `/v1/privacy-requests/${b.privacyRequest}`,
    who: ['server'],
    expect: 'deny',
  },
  ...(['verify', 'reject', 'fulfil'] as const).map(
    (step): Case => ({
      route: `POST /v1/privacy-requests/{requestId}/${step}`,
      method: 'POST',
      url: () => `/v1/privacy-requests/${b.privacyRequest}/${step}`,
      body: () => (step === 'verify' ? { method: 'test' } : step === 'reject' ? { reason: 'test' } : {}),
      who: ['server'],
      expect: 'deny',
    }),
  ),
  { route: 'GET /v1/app/audit', method: 'GET', url: () => '/v1/app/audit', who: ['server'], expect: 'own' },
]

/** Routes that are not app-scoped by design (operator API) or are exercised with a payload elsewhere. */
const NOT_IN_MATRIX = new Set([
  'POST /v1/admin/apps',
  'GET /v1/admin/apps',
  'GET /v1/admin/apps/{appId}',
  'DELETE /v1/admin/apps/{appId}',
  'GET /v1/admin/apps/{appId}/audit',
  // multipart upload: covered by its own case below
  'POST /v1/channels/{channelId}/uploads',
  // signed file URLs carry no tenant credentials; covered by the signature case below
  'GET /v1/files/{*}',
  'PUT /v1/files/{*}',
  // development only (404 in production): serve the seeded demo app alone, whoever calls
  'GET /v1/dev/demo',
  'POST /v1/dev/demo/tokens',
])

describe('tenant isolation', () => {
  it('covers every API route', async () => {
    const spec = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    const routes = Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    )
    const covered = new Set(cases.map((c) => c.route))
    const missing = routes
      .filter((r) => r.startsWith('GET /v1') || r.includes(' /v1'))
      .filter((r) => !covered.has(r) && !NOT_IN_MATRIX.has(r))
    expect(missing).toEqual([])
  })

  for (const testCase of cases) {
    for (const who of testCase.who) {
      it(`${testCase.route} as A's ${who} never reads or changes B`, async () => {
        const before = await tenantSnapshot(h.database, B.appId)
        const headers: Record<string, string> =
          who === 'server'
            ? { 'x-api-key': A.apiKey }
            : { authorization: `Bearer ${(await A.server.post('/v1/users/alice/tokens')).body.accessToken}` }
        const body = testCase.body?.()
        const response = await h.app.inject({
          method: testCase.method,
          url: testCase.url(),
          headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
        })
        if (testCase.expect === 'deny') {
          expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400)
          expect(response.statusCode).toBeLessThan(500)
        } else {
          expect(response.statusCode, response.body).toBeLessThan(300)
        }
        // a problem's `instance` echoes the requested path (with B's id in it): that is not a leak
        const shown = response.body.startsWith('{')
          ? JSON.stringify({ ...response.json(), instance: undefined })
          : response.body
        for (const secret of [
          SECRET,
          b.message!,
          b.reply!,
          b.poll!,
          b.upload!,
          b.flag!,
          b.webhook!,
          b.privacyRequest!,
          B.appId,
        ]) {
          expect(shown).not.toContain(secret)
        }
        expect(await tenantSnapshot(h.database, B.appId)).toEqual(before)
        if (testCase.route === 'DELETE /v1/me') await A.server.put('/v1/users/alice', { name: 'alice' })
      })
    }
  }

  it("POST /v1/channels/{channelId}/uploads into B's channel is refused and stores nothing", async () => {
    const before = await tenantSnapshot(h.database, B.appId)
    const form = multipartFile('x.txt', 'text/plain', Buffer.from('hello'))
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/channels/b-room/uploads',
      headers: { 'x-api-key': A.apiKey, 'content-type': form.contentType },
      payload: form.payload,
    })
    expect(response.statusCode).toBe(404)
    expect(await tenantSnapshot(h.database, B.appId)).toEqual(before)
  })

  it("a signed file URL of B cannot be re-aimed at another key, and A's key cannot sign B's files", async () => {
    const url = (await B.server.get(`/v1/uploads/${b.upload}/url`)).body.url as string
    const forged = url.replace(/\/v1\/files\/[^?]+/, `/v1/files/${A.appId}/general/${b.upload}`)
    expect((await h.app.inject({ method: 'GET', url: forged })).statusCode).toBe(404)
    expect((await h.app.inject({ method: 'GET', url })).statusCode).toBe(200)
    expect((await A.server.get(`/v1/uploads/${b.upload}/url`)).status).toBe(404)
  })

  it("a user token of B is refused for A's data even with the same user id", async () => {
    const asB = client(h.app).user(B.tokens.alice!)
    const list = await asB.get('/v1/channels/shared/messages')
    expect(list.status).toBe(200)
    const own = await asB.get('/v1/channels/shared')
    expect(own.body.channel.name).toContain(SECRET)
  })
})
