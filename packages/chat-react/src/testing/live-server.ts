import { loadRealtimeConfig } from '@chatsdk/server/realtime/config'
import { createRealtimePlugin } from '@chatsdk/server/realtime/plugin'
import { type Harness, seedApp, startHarness } from '@chatsdk/server/testing/harness'

/** What the tests get of the server (plain data: it crosses from the global setup to the tests). */
export interface LiveServerInfo {
  /** http://127.0.0.1:<port>: the API under /v1 and the gateway at /connection/websocket. */
  url: string
  /** Access tokens of the seeded users. */
  tokens: Record<string, string>
  /** The app's API key, for calls as its backend (create channels, add members). */
  apiKey: string
}

export interface LiveServer extends LiveServerInfo {
  close(): Promise<void>
}

/**
 * A real chat-server for hook tests: chat-server's own test harness (its own schema on
 * DATABASE_URL, else PGlite) with the realtime gateway, listening on a free loopback port, and an
 * app with the given users. It runs in vitest's global setup (Node), outside the jsdom the hooks
 * render in, whose URL class chat-server's module paths cannot use.
 */
export async function startLiveServer(name: string, userIds: string[]): Promise<LiveServer> {
  const realtime = createRealtimePlugin(loadRealtimeConfig({ ...process.env, REALTIME_OUTBOX_POLL_MS: '20' }))
  const harness: Harness = await startHarness(name, { RATE_LIMIT_ENABLED: 'false' }, undefined, { realtime })
  await harness.app.listen({ port: 0, host: '127.0.0.1' })
  const port = (harness.app.server.address() as { port: number }).port
  const url = `http://127.0.0.1:${port}`
  const seeded = await seedApp(harness.app, name, userIds)
  return { url, tokens: seeded.tokens, apiKey: seeded.apiKey, close: () => harness.close() }
}
