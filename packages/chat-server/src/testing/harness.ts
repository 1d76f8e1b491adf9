import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCache } from '@platform/service-kit/cache'
import { createTestDatabase, type Database } from '@platform/service-kit/db'
import type { App } from '@platform/service-kit/http'
import { createLogger } from '@platform/service-kit/logging'
import { createRateLimitStore } from '@platform/service-kit/ratelimit'
import { buildChatApp, type ChatAppDeps } from '../app.js'
import { type ChatConfig, loadChatConfig } from '../config.js'
import { migrateChatSchema } from '../main.js'
import type { ChatDatabase } from '../shared/database.js'
import type { FileStorage } from '../uploads/storage.js'

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef'

export interface Harness {
  app: App
  database: Database<ChatDatabase>
  config: ChatConfig
  close(): Promise<void>
}

/**
 * One isolated ChatSDK per test file: its own schema on DATABASE_URL (else PGlite), its own Redis
 * key prefix on REDIS_URL (else memory), its own upload directory. Background jobs are off; tests
 * drive webhook delivery with app.chat.runWebhooks().
 */
export async function startHarness(
  name: string,
  env: Record<string, string> = {},
  storage?: FileStorage,
  deps: Pick<ChatAppDeps, 'webhookResolve' | 'realtime'> = {},
): Promise<Harness> {
  const uploads = await mkdtemp(join(tmpdir(), `chat-${name}-`))
  const { config } = loadChatConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: ADMIN_KEY,
    UPLOAD_DIR: uploads,
    WEBHOOK_RETRY_BASE_MS: '1',
    S3_BUCKET: '',
    // the tests' webhook receivers listen on loopback over http: an explicit exception
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
    ...env,
  })
  const database = await createTestDatabase<ChatDatabase>(`chat_${name}`)
  await migrateChatSchema(database)
  const prefix = `test:${name}:${randomBytes(4).toString('hex')}:`
  const cache = createCache({ redisUrl: process.env.REDIS_URL, keyPrefix: prefix })
  // own buckets per test file: per-IP buckets (all tests come from 127.0.0.1) are never shared
  // the server's own store (one script call per tick on Redis), under the file's prefix
  const rateLimitStore = createRateLimitStore({
    redisUrl: process.env.REDIS_URL,
    keyPrefix: `${prefix}rl:`,
  })
  const release = async () => {
    await cache.close()
    await rateLimitStore.close()
    await database.close()
    await rm(uploads, { recursive: true, force: true })
  }
  let app: App
  try {
    app = await buildChatApp({
      database,
      config,
      cache,
      logger: createLogger({ service: 'chat-test', level: process.env.CHAT_TEST_LOG ? 'error' : 'silent' }),
      workers: false,
      rateLimitStore,
      ...deps,
      ...(storage ? { storage } : {}),
    })
    await app.ready()
  } catch (error) {
    // a test that expects start-up to fail leaves no connection, schema handle or directory behind
    await release()
    throw error
  }
  return {
    app,
    database,
    config,
    async close() {
      await app.close()
      await release()
    },
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Small inject wrappers: who calls (admin key, API key, user token) and what comes back. */
export function client(app: App) {
  const call = async (method: Method, url: string, headers: Record<string, string>, body?: unknown) => {
    const response = await app.inject({
      method,
      url,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
    let json: any
    try {
      json = response.body ? response.json() : undefined
    } catch {
      json = undefined
    }
    return { status: response.statusCode, body: json, headers: response.headers, raw: response }
  }
  const as = (headers: Record<string, string>) => ({
    get: (url: string) => call('GET', url, headers),
    post: (url: string, body?: unknown) => call('POST', url, headers, body ?? {}),
    put: (url: string, body?: unknown) => call('PUT', url, headers, body ?? {}),
    patch: (url: string, body?: unknown) => call('PATCH', url, headers, body ?? {}),
    delete: (url: string) => call('DELETE', url, headers),
  })
  return {
    admin: as({ authorization: `Bearer ${ADMIN_KEY}` }),
    server: (apiKey: string) => as({ 'x-api-key': apiKey }),
    user: (token: string) => as({ authorization: `Bearer ${token}` }),
    anonymous: as({}),
  }
}

/** Creates an app with users and returns their access tokens. */
export async function seedApp(app: App, name: string, userIds: string[]) {
  const c = client(app)
  const created = await c.admin.post('/v1/admin/apps', { name })
  if (created.status !== 201) throw new Error(`create app: ${created.status} ${JSON.stringify(created.body)}`)
  const appId: string = created.body.app.id
  const apiKey: string = created.body.apiKey
  const server = c.server(apiKey)
  const bulk = await server.post('/v1/users/bulk', {
    users: userIds.map((id) => ({ id, name: id.toUpperCase() })),
  })
  if (bulk.status !== 200) throw new Error(`bulk users: ${bulk.status} ${JSON.stringify(bulk.body)}`)
  const tokens: Record<string, string> = {}
  for (const id of userIds) {
    const minted = await server.post(`/v1/users/${id}/tokens`)
    if (minted.status !== 200) throw new Error(`tokens: ${minted.status} ${JSON.stringify(minted.body)}`)
    tokens[id] = minted.body.accessToken
  }
  const users = Object.fromEntries(userIds.map((id) => [id, c.user(tokens[id]!)]))
  return { appId, apiKey, server, tokens, users }
}
