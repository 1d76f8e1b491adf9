import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from './testing/harness.js'
import { multipartFile } from './testing/multipart.js'
import { tenantSnapshot } from './testing/snapshot.js'

/**
 * Bad input: every case must answer 4xx application/problem+json with a stable code (and the field
 * path for schema errors), and leave the stored data exactly as it was.
 */
let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>
let other: Awaited<ReturnType<typeof seedApp>>
let message = ''
let otherMessage = ''
let poll = ''

beforeAll(async () => {
  h = await startHarness('bad_input', {
    MESSAGE_MAX_LENGTH: '50',
    UPLOAD_IMAGE_MAX_BYTES: '2000',
    UPLOAD_FILE_MAX_BYTES: '100',
  })
  S = await seedApp(h.app, 'bad', ['alice', 'bob'])
  other = await seedApp(h.app, 'other', ['alice'])
  await S.users.alice!.post('/v1/channels', { type: 'messaging', id: 'room', members: ['bob'] })
  await other.users.alice!.post('/v1/channels', { type: 'messaging', id: 'room', members: [] })
  message = (await S.users.alice!.post('/v1/channels/room/messages', { text: 'original' })).body.message.id
  otherMessage = (await other.users.alice!.post('/v1/channels/room/messages', { text: 'theirs' })).body
    .message.id
  poll = (await S.users.alice!.post(`/v1/messages/${message}/poll`, { question: 'q', options: ['a', 'b'] }))
    .body.poll.id
})
afterAll(async () => h?.close())

interface Case {
  name: string
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: () => string
  /** A string is sent as-is (malformed JSON); anything else as JSON. */
  body?: () => unknown
  as?: 'user' | 'server'
  status: number
  code: string
  /** JSON pointer of the offending field, for schema errors. */
  path?: string
}

const cases: Case[] = [
  {
    name: 'channel type of the wrong type',
    method: 'POST',
    url: () => '/v1/channels',
    body: () => ({ type: 123, members: [] }),
    status: 400,
    code: 'validation_failed',
    path: '/type',
  },
  {
    name: 'channel without members',
    method: 'POST',
    url: () => '/v1/channels',
    body: () => ({ type: 'messaging' }),
    status: 400,
    code: 'validation_failed',
    path: '/members',
  },
  {
    name: 'unknown channel type',
    method: 'POST',
    url: () => '/v1/channels',
    body: () => ({ type: 'party', members: [] }),
    status: 400,
    code: 'validation_failed',
    path: '/type',
  },
  {
    name: 'channel id with spaces',
    method: 'POST',
    url: () => '/v1/channels',
    body: () => ({ type: 'team', id: 'a b', members: [] }),
    status: 400,
    code: 'validation_failed',
    path: '/id',
  },
  {
    name: 'channel with unknown members',
    method: 'POST',
    url: () => '/v1/channels',
    body: () => ({ type: 'messaging', members: ['ghost'] }),
    status: 400,
    code: 'unknown_users',
  },
  {
    name: 'unknown field',
    method: 'PATCH',
    url: () => '/v1/channels/room',
    body: () => ({ nmae: 'typo' }),
    status: 400,
    code: 'validation_failed',
    path: '/nmae',
  },
  {
    name: 'message text of the wrong type',
    method: 'POST',
    url: () => '/v1/channels/room/messages',
    body: () => ({ text: 5 }),
    status: 400,
    code: 'validation_failed',
    path: '/text',
  },
  {
    name: 'message text over the limit',
    method: 'POST',
    url: () => '/v1/channels/room/messages',
    body: () => ({ text: 'x'.repeat(51) }),
    status: 400,
    code: 'validation_failed',
    path: '/text',
  },
  {
    name: 'empty message',
    method: 'POST',
    url: () => '/v1/channels/room/messages',
    body: () => ({ text: '   ' }),
    status: 400,
    code: 'empty_message',
  },
  {
    name: 'edit over the limit',
    method: 'PATCH',
    url: () => `/v1/messages/${message}`,
    body: () => ({ text: 'y'.repeat(51) }),
    status: 400,
    code: 'validation_failed',
    path: '/text',
  },
  {
    name: 'malformed JSON',
    method: 'POST',
    url: () => '/v1/channels/room/messages',
    body: () => '{"text": "unterminated',
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'malformed message id',
    method: 'GET',
    url: () => '/v1/messages/not-a-uuid',
    status: 400,
    code: 'validation_failed',
    path: '/messageId',
  },
  {
    name: "another tenant's message id",
    method: 'PATCH',
    url: () => `/v1/messages/${otherMessage}`,
    body: () => ({ text: 'mine now' }),
    status: 404,
    code: 'message_not_found',
  },
  {
    name: 'reply to a message of another tenant',
    method: 'POST',
    url: () => '/v1/channels/room/messages',
    body: () => ({ text: 'r', parentId: otherMessage }),
    status: 400,
    code: 'parent_not_found',
  },
  {
    name: 'mention of an unknown user',
    method: 'POST',
    url: () => '/v1/channels/room/messages',
    body: () => ({ text: 'hi', mentions: ['ghost'] }),
    status: 400,
    code: 'unknown_mentions',
  },
  {
    name: 'attachment without upload or url',
    method: 'POST',
    url: () => '/v1/channels/room/messages',
    body: () => ({ text: 'a', attachments: [{ name: 'x' }] }),
    status: 400,
    code: 'attachment_invalid',
  },
  {
    name: 'vote option ids of the wrong type',
    method: 'POST',
    url: () => `/v1/polls/${poll}/votes`,
    body: () => ({ optionIds: 'a' }),
    status: 400,
    code: 'validation_failed',
    path: '/optionIds',
  },
  {
    name: 'vote for an option that does not exist',
    method: 'POST',
    url: () => `/v1/polls/${poll}/votes`,
    body: () => ({ optionIds: ['01936a3e-8f2a-7c41-9d1e-2b3c4d5e6f70'] }),
    status: 400,
    code: 'unknown_option',
  },
  {
    name: 'two options in a single-choice poll',
    method: 'POST',
    url: () => `/v1/polls/${poll}/votes`,
    body: () => ({
      optionIds: ['01936a3e-8f2a-7c41-9d1e-2b3c4d5e6f70', '01936a3e-8f2a-7c41-9d1e-2b3c4d5e6f71'],
    }),
    status: 400,
    code: 'single_choice',
  },
  {
    name: 'user without a name',
    method: 'PUT',
    url: () => '/v1/users/carol',
    body: () => ({ image: 'x' }),
    as: 'server',
    status: 400,
    code: 'validation_failed',
    path: '/name',
  },
  {
    name: 'user id with a slash-free but invalid character',
    method: 'PUT',
    url: () => '/v1/users/al%20ice',
    body: () => ({ name: 'x' }),
    as: 'server',
    status: 400,
    code: 'validation_failed',
    path: '/userId',
  },
  {
    name: 'search date that is not a date',
    method: 'GET',
    url: () => '/v1/search/messages?q=a&from=yesterday',
    status: 400,
    code: 'validation_failed',
    path: '/from',
  },
  {
    name: 'page limit out of range',
    method: 'GET',
    url: () => '/v1/channels/room/messages?limit=100000',
    status: 400,
    code: 'validation_failed',
    path: '/limit',
  },
  {
    name: 'presign of a disallowed type',
    method: 'POST',
    url: () => '/v1/channels/room/uploads/presign',
    body: () => ({ fileName: 'a.exe', contentType: 'application/x-msdownload', size: 10 }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'presign over the type limit',
    method: 'POST',
    url: () => '/v1/channels/room/uploads/presign',
    body: () => ({ fileName: 'a.png', contentType: 'image/png', size: 2001 }),
    status: 413,
    code: 'upload_too_large',
  },
  {
    name: 'presign over the 100 MB ceiling',
    method: 'POST',
    url: () => '/v1/channels/room/uploads/presign',
    body: () => ({ fileName: 'a.mp4', contentType: 'video/mp4', size: 100 * 1024 * 1024 + 1 }),
    status: 400,
    code: 'validation_failed',
    path: '/size',
  },
  {
    name: 'webhook url that is not http',
    method: 'POST',
    url: () => '/v1/webhooks',
    body: () => ({ url: 'ftp://example.com' }),
    as: 'server',
    status: 400,
    code: 'validation_failed',
    path: '/url',
  },
  {
    name: 'refresh token that is garbage',
    method: 'POST',
    url: () => '/v1/tokens/refresh',
    body: () => ({ refreshToken: 'nope' }),
    status: 401,
    code: 'invalid_refresh_token',
  },
  // Issue 16, item 10: each of these was a 500 (PostgreSQL refused the value after validation).
  {
    name: 'a lone surrogate in message text',
    method: 'POST',
    url: () => '/v1/channels/room/messages',
    body: () => ({ text: 'broken \ud800 text' }),
    status: 400,
    code: 'invalid_character',
    path: '/text',
  },
  {
    name: 'a lone surrogate in custom data',
    method: 'POST',
    url: () => '/v1/channels/room/messages',
    body: () => ({ text: 'ok', custom: { note: ['fine', '\udc00'] } }),
    status: 400,
    code: 'invalid_character',
    path: '/custom/note/1',
  },
  {
    name: 'a NUL in a user name',
    method: 'PUT',
    url: () => '/v1/users/nul',
    body: () => ({ name: 'nul\u0000byte' }),
    as: 'server',
    status: 400,
    code: 'invalid_character',
    path: '/name',
  },
  {
    name: 'a NUL in a channel name',
    method: 'PATCH',
    url: () => '/v1/channels/room',
    body: () => ({ name: 'room\u0000' }),
    status: 400,
    code: 'invalid_character',
    path: '/name',
  },
  {
    name: 'custom data nested 20,000 deep',
    method: 'POST',
    url: () => '/v1/channels/room/messages',
    body: () => `{"text":"deep","custom":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`,
    status: 400,
    code: 'nesting_too_deep',
  },
  {
    name: 'a page cursor past any bigint (?before=1e20)',
    method: 'GET',
    url: () => '/v1/channels/room/messages?before=1e20',
    status: 400,
    code: 'validation_failed',
    path: '/before',
  },
  {
    name: "a channel id of '..' (issue 16, item 11)",
    method: 'POST',
    url: () => '/v1/channels',
    body: () => ({ type: 'messaging', id: '..', members: [] }),
    status: 400,
    code: 'validation_failed',
    path: '/id',
  },
]

async function send(testCase: Pick<Case, 'method' | 'url' | 'body' | 'as'>) {
  const headers: Record<string, string> =
    testCase.as === 'server' ? { 'x-api-key': S.apiKey } : { authorization: `Bearer ${S.tokens.alice}` }
  const body = testCase.body?.()
  return h.app.inject({
    method: testCase.method,
    url: testCase.url(),
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
}

async function snapshots() {
  return [await tenantSnapshot(h.database, S.appId), await tenantSnapshot(h.database, other.appId)]
}

function expectProblem(
  response: Awaited<ReturnType<typeof send>>,
  status: number,
  code: string,
  path?: string,
) {
  expect(response.statusCode, response.body).toBe(status)
  expect(response.headers['content-type']).toContain('application/problem+json')
  const problem = response.json()
  expect(problem.code).toBe(code)
  if (path) expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path)
}

describe('bad input', () => {
  for (const testCase of cases) {
    it(`${testCase.name} → ${testCase.status} ${testCase.code}, nothing stored`, async () => {
      const before = await snapshots()
      expectProblem(await send(testCase), testCase.status, testCase.code, testCase.path)
      expect(await snapshots()).toEqual(before)
    })
  }

  const upload = async (fileName: string, contentType: string, bytes: Buffer) => {
    const form = multipartFile(fileName, contentType, bytes)
    return h.app.inject({
      method: 'POST',
      url: '/v1/channels/room/uploads',
      headers: { authorization: `Bearer ${S.tokens.alice}`, 'content-type': form.contentType },
      payload: form.payload,
    })
  }

  it('an oversized image upload → 413, nothing stored', async () => {
    const noisy = await sharp(Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 256)), {
      raw: { width: 64, height: 64, channels: 3 },
    })
      .png({ compressionLevel: 0 })
      .toBuffer()
    expect(noisy.length).toBeGreaterThan(2000)
    const before = await snapshots()
    expectProblem(await upload('big.png', 'image/png', noisy), 413, 'upload_too_large')
    expect(await snapshots()).toEqual(before)
  })

  it('an upload of a disallowed type → 415, nothing stored', async () => {
    const before = await snapshots()
    expectProblem(
      await upload('tool.exe', 'application/x-msdownload', Buffer.from('MZ')),
      415,
      'unsupported_media_type',
    )
    expect(await snapshots()).toEqual(before)
  })

  it('bytes that claim to be an image but are not → 400 invalid_image, nothing stored', async () => {
    const before = await snapshots()
    expectProblem(
      await upload('fake.png', 'image/png', Buffer.from('definitely not a png')),
      400,
      'invalid_image',
    )
    expect(await snapshots()).toEqual(before)
  })

  it('a JSON body on the multipart route → 415', async () => {
    const before = await snapshots()
    expectProblem(
      await send({ method: 'POST', url: () => '/v1/channels/room/uploads', body: () => ({ file: 'x' }) }),
      415,
      'multipart_required',
    )
    expect(await snapshots()).toEqual(before)
  })

  it('no credentials, a bad API key and a forged token → 401', async () => {
    const before = await snapshots()
    expectProblem(await h.app.inject({ method: 'GET', url: '/v1/channels' }), 401, 'credentials_required')
    expectProblem(
      await h.app.inject({
        method: 'GET',
        url: '/v1/app',
        headers: { 'x-api-key': 'chat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      }),
      401,
      'invalid_api_key',
    )
    const [header, payload] = S.tokens.alice!.split('.')
    const forged = `${header}.${payload}.${'A'.repeat(43)}`
    expectProblem(
      await h.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${forged}` } }),
      401,
      'invalid_token',
    )
    expectProblem(
      await h.app.inject({
        method: 'POST',
        url: '/v1/admin/apps',
        headers: { authorization: 'Bearer wrong' },
        payload: { name: 'x' },
      }),
      401,
      'invalid_admin_key',
    )
    expect(await snapshots()).toEqual(before)
  })
})
