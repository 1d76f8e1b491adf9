/**
 * Test support: a real ChatSDK server (API + realtime gateway + outbox relay) on a random port,
 * isolated per test file by the chat-server harness (own schema / key prefix), and token
 * providers that mint user tokens the way a customer backend does.
 */
import { loadRealtimeConfig } from '@chatsdk/server/realtime/config'
import { createRealtimePlugin } from '@chatsdk/server/realtime/plugin'
import { type Harness, seedApp, startHarness } from '@chatsdk/server/testing/harness'
import { WebSocket } from 'ws'
import { ChatClient, type ChatClientOptions } from '../client.js'
import { MemoryPendingStorage } from '../offline/storage.js'

export interface TestServer {
  harness: Harness
  baseUrl: string
  appId: string
  apiKey: string
  /** Mints a token set for a user, as the customer's backend would (X-API-Key). */
  mint(userId: string): Promise<{ accessToken: string; connectionToken: string }>
  /** A client signed in as this user (not connected yet). */
  client(userId: string, options?: Partial<ChatClientOptions>): ChatClient
  /** Calls the API as a backend. */
  backend(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<any>
  close(): Promise<void>
}

export async function startTestServer(
  name: string,
  users: string[],
  env: Record<string, string> = {},
): Promise<TestServer> {
  const realtimeEnv = { ...process.env, REALTIME_OUTBOX_POLL_MS: '20', ...env }
  const harness = await startHarness(name, env, undefined, {
    realtime: createRealtimePlugin(loadRealtimeConfig(realtimeEnv)),
  })
  await harness.app.listen({ port: 0, host: '127.0.0.1' })
  const port = (harness.app.server.address() as { port: number }).port
  const baseUrl = `http://127.0.0.1:${port}`
  const seeded = await seedApp(harness.app, name, users)
  const clients: ChatClient[] = []

  const backend = async (method: string, path: string, body?: unknown): Promise<any> => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { 'x-api-key': seeded.apiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    const json = await response.json().catch(() => undefined)
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`)
    return json
  }
  const mint = (userId: string) => backend('POST', `/v1/users/${userId}/tokens`, {})

  return {
    harness,
    baseUrl,
    appId: seeded.appId,
    apiKey: seeded.apiKey,
    mint,
    backend,
    client(userId, options = {}) {
      const client = new ChatClient({
        baseUrl,
        tokenProvider: () => mint(userId),
        WebSocket,
        pendingStorage: new MemoryPendingStorage(),
        reconnect: { minDelayMs: 100, maxDelayMs: 500 },
        retry: { attempts: 2, baseMs: 20, maxMs: 100 },
        sendBackoff: { baseMs: 50, maxMs: 200 },
        ...options,
      })
      clients.push(client)
      return client
    },
    async close() {
      for (const client of clients) client.disconnect()
      await harness.close()
    },
  }
}

/** Polls until the condition holds (no fixed sleeps: the wait ends as soon as it is true). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
