/**
 * End to end through the real API: tokens minted by the API, membership from its tables, messages
 * written with their outbox rows, drained by the relay, received by the centrifuge client.
 */
import { createTestDatabase, type Database } from '@platform/service-kit/db'
import { createLogger } from '@platform/service-kit/logging'
import type { Centrifuge, PublicationContext } from 'centrifuge'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildChatApp } from '../app.js'
import { loadChatConfig } from '../config.js'
import { migrateChatSchema } from '../main.js'
import type { ChatDatabase } from '../shared/database.js'
import { loadRealtimeConfig } from './config.js'
import { createRealtimePlugin } from './plugin.js'
import { newClient, waitFor } from './test-support.js'

type Json = Record<string, any>

describe('realtime through the ChatSDK API', () => {
  let database: Database<ChatDatabase>
  let app: Awaited<ReturnType<typeof buildChatApp>>
  let base: string
  let appId: string
  let apiKey: string
  const adminKey = 'adm_realtime_integration_test_key_0123'
  const clients: Centrifuge[] = []

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    })
    const json = (await res.json().catch(() => ({}))) as Json
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(json)}`)
    return json
  }

  const tokensFor = async (userId: string) => {
    await call('PUT', `/v1/users/${userId}`, { name: userId }, { 'x-api-key': apiKey })
    return call('POST', `/v1/users/${userId}/tokens`, {}, { 'x-api-key': apiKey })
  }

  beforeAll(async () => {
    database = await createTestDatabase<ChatDatabase>('realtime_e2e')
    await migrateChatSchema(database)
    const env = { ...process.env, ADMIN_API_KEY: adminKey, LOG_LEVEL: 'warn' }
    const { config } = loadChatConfig(env)
    const realtime = createRealtimePlugin(loadRealtimeConfig({ ...env, REALTIME_OUTBOX_POLL_MS: '20' }))
    const logger = createLogger({ service: 'chat-server', level: 'warn' })
    app = await buildChatApp({ database, config, realtime, logger, workers: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const port = (app.server.address() as { port: number }).port
    base = `http://127.0.0.1:${port}`
    const created = await call(
      'POST',
      '/v1/admin/apps',
      { name: 'rt' },
      { authorization: `Bearer ${adminKey}` },
    )
    appId = created.app.id
    apiKey = created.apiKey
  }, 60_000)

  afterAll(async () => {
    for (const c of clients) c.disconnect()
    await app?.close()
    await database?.close()
  })

  it('delivers API-sent messages in seq order to a member and refuses a non-member', async () => {
    const alice = await tokensFor('alice')
    await tokensFor('bob')
    const eve = await tokensFor('eve')
    const bearer = { authorization: `Bearer ${alice.accessToken}` }
    await call(
      'POST',
      '/v1/channels',
      { type: 'messaging', id: 'general', members: ['alice', 'bob'] },
      bearer,
    )

    const url = `${base.replace('http', 'ws')}/connection/websocket`
    const client = newClient(url, { token: alice.connectionToken })
    clients.push(client)
    const sub = client.newSubscription(`chat:${appId}:general`)
    const got: PublicationContext[] = []
    sub.on('publication', (p) => got.push(p))
    sub.subscribe()
    client.connect()
    await sub.ready(10_000)

    for (let i = 1; i <= 10; i++) {
      await call('POST', '/v1/channels/general/messages', { text: `m${i}`, clientMessageId: `c${i}` }, bearer)
    }
    await waitFor(() => got.filter((p) => p.data.type === 'message.new').length === 10, 15_000, 'messages')
    const news = got.filter((p) => p.data.type === 'message.new')
    expect(news.map((p) => p.data.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(new Set(news.map((p) => p.data.id)).size).toBe(10)

    const intruder = newClient(url, { token: eve.connectionToken })
    clients.push(intruder)
    const denied = intruder.newSubscription(`chat:${appId}:general`)
    const unsubscribed = new Promise<{ code: number }>((resolve) => denied.on('unsubscribed', resolve))
    denied.subscribe()
    intruder.connect()
    expect((await unsubscribed).code).toBe(103)
  }, 60_000)
})
