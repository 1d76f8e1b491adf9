/**
 * `npm start` runs both products in one process: each listens on its own CHAT_PORT / DEX_PORT, and
 * a PORT in the environment no longer moves both onto one port (issue 14, first hour).
 */
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  freePort,
  type ScratchDatabase,
  scratchDatabase,
  startServer,
} from '../deploy/test-support/processes.js'

let database: ScratchDatabase
beforeAll(async () => {
  database = await scratchDatabase('ports')
})
afterAll(async () => {
  await database?.drop()
})

it('starts ChatSDK on CHAT_PORT and Soba DEX on DEX_PORT although PORT is set', async () => {
  const [chatPort, dexPort, rpcPort, stray] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ]
  const both = await startServer({
    command: process.execPath,
    args: ['--import', 'tsx', 'scripts/start.ts', 'all'],
    cwd: join(import.meta.dirname, '..'),
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      PORT: String(stray),
      CHAT_PORT: String(chatPort),
      DEX_PORT: String(dexPort),
      RPC_PORT: String(rpcPort),
      SIM_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    },
    readyUrl: `http://127.0.0.1:${chatPort}/health/ready`,
    timeoutMs: 120_000,
  })
  try {
    for (let i = 0; i < 240; i++) {
      if (
        await fetch(`http://127.0.0.1:${dexPort}/health/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    expect((await fetch(`http://127.0.0.1:${dexPort}/health/ready`)).status).toBe(200)
    expect(
      await fetch(`http://127.0.0.1:${stray}/health/live`).then(
        () => 'answered',
        () => 'refused',
      ),
    ).toBe('refused')
    expect(both.output()).toContain('PORT=')
  } finally {
    expect(await both.stop()).toBe(0)
  }
}, 180_000)
