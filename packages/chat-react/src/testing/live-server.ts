import { loadRealtimeConfig } from '@chatsdk/server/realtime/config'
import { createRealtimePlugin } from '@chatsdk/server/realtime/plugin'
import { type Harness, seedApp, startHarness } from '@chatsdk/server/testing/harness'

export interface LiveServer {
  /** http://127.0.0.1:<port>: the API under /v1 and the gateway at /connection/websocket. */
  url: string
  tokens: Record<string, string>
  /** Calls as the app's backend (X-API-Key): create channels, add members. */
  backend(method: string, path: string, body?: unknown): Promise<any>
  close(): Promise<void>
}

/**
 * A real chat-server for hook tests: chat-server's own test harness (its own schema on
 * DATABASE_URL, else PGlite) with the realtime gateway, listening on a free loopback port, and an
 * app with the given users. The hooks under test drive a real @chatsdk/client against it.
 */
export async function startLiveServer(name: string, userIds: string[]): Promise<LiveServer> {
  const realtime = createRealtimePlugin(loadRealtimeConfig({ ...process.env, REALTIME_OUTBOX_POLL_MS: '20' }))
  const harness: Harness = await startHarness(name, { RATE_LIMIT_ENABLED: 'false' }, undefined, { realtime })
  await harness.app.listen({ port: 0, host: '127.0.0.1' })
  const port = (harness.app.server.address() as { port: number }).port
  const url = `http://127.0.0.1:${port}`
  const seeded = await seedApp(harness.app, name, userIds)
  const backend = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        'x-api-key': seeded.apiKey,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
    return text ? JSON.parse(text) : undefined
  }
  return { url, tokens: seeded.tokens, backend, close: () => harness.close() }
}
