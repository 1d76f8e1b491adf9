/**
 * Redis loss drill: ChatSDK on PostgreSQL with its cache, rate limits, token state and realtime
 * fan-out on Redis, under load (senders, listening WebSocket connections), loses Redis: the server
 * is killed (no persistence, as the machine's Redis runs: every key is gone) and started again
 * empty. Checks that sends, rate limits, user tokens and realtime delivery come back by
 * themselves, and that no acknowledged message is lost (PostgreSQL holds them). Measures how long
 * each took to come back after Redis did.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createConnection } from 'node:net'
import pg from 'pg'
import { createChatFixture } from '../load/http-json.js'
import { startProductProcess } from '../load/server-process.js'
import { openWsFleet } from '../load/ws-clients.js'
import { freePortBlock } from './ports.js'
import { createScratchDatabase } from './scratch-database.js'
import { startSenders } from './senders.js'

export interface RedisLossDrillResult {
  acknowledged: number
  /** Acknowledged sends missing from PostgreSQL afterwards. */
  lostAcknowledged: number
  failedSends: number
  /** Failed sends by HTTP status: what clients saw while Redis was away. */
  failures: Record<string, number>
  lastFailure: string
  redisDownMs: number
  /** From Redis answering again to the first acknowledged send that started after it. */
  sendRecoveryMs: number | null
  /** From Redis answering again to the first realtime publication delivered after it. */
  realtimeRecoveryMs: number | null
  /** After recovery: a user token minted before the loss still authenticates. */
  tokenStillValid: boolean
  /** After recovery: responses carry RateLimit headers again (the limiter works on the new Redis). */
  rateLimitHeadersBack: boolean
  websocketsOpen: number
  /** The server's last error log lines: what the failed sends were. */
  serverErrors: string[]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Starts an empty redis-server on `port` and resolves once it accepts connections. A restart on
 * the same port can lose the bind race against the killed server's sockets on a busy machine, so a
 * server that exits before listening is started again until the deadline; the error then carries
 * what redis-server printed.
 */
function startRedis(port: number): Promise<ChildProcess> {
  const deadline = Date.now() + 15_000
  const spawnServer = () =>
    spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
  return new Promise((resolve, reject) => {
    let child = spawnServer()
    let output = ''
    const watch = (server: ChildProcess) => {
      server.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000)))
      server.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000)))
    }
    watch(child)
    const probe = () => {
      const socket = createConnection({ host: '127.0.0.1', port })
      socket.once('connect', () => {
        socket.destroy()
        child.stdout?.removeAllListeners('data').resume()
        child.stderr?.removeAllListeners('data').resume()
        resolve(child)
      })
      socket.once('error', () => {
        socket.destroy()
        if (Date.now() > deadline) {
          child.kill('SIGKILL')
          reject(
            new Error(
              `redis-server did not listen on :${port}: ${output.trim().split('\n').slice(-3).join(' | ')}`,
            ),
          )
          return
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          child = spawnServer()
          watch(child)
        }
        setTimeout(probe, 100)
      })
    }
    probe()
  })
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}

export async function runRedisLossDrill(serverUrl: string, log = console.log): Promise<RedisLossDrillResult> {
  // Redis, then the chat server
  const basePort = await freePortBlock(2)
  const database = await createScratchDatabase(serverUrl, 'drill_redis')
  let redis = await startRedis(basePort)
  const adminKey = randomBytes(24).toString('hex')
  const chat = await startProductProcess('chat', basePort + 1, {
    DATABASE_URL: database.url,
    REDIS_URL: `redis://127.0.0.1:${basePort}`,
    ADMIN_API_KEY: adminKey,
    RATE_LIMIT_USER_SENDS_PER_MINUTE: '1000000',
    RATE_LIMIT_API_KEY_PER_MINUTE: '1000000',
  })
  try {
    const fixture = await createChatFixture(chat.url, adminKey, 'redis', 10, 5)
    const fleet = await openWsFleet(
      {
        url: `${chat.url.replace(/^http/, 'ws')}/connection/websocket`,
        connection: (i) => ({
          token: fixture.tokens[i % fixture.tokens.length]?.connectionToken as string,
          channel: `chat:${fixture.appId}:${fixture.channels[i % fixture.channels.length]}`,
        }),
      },
      50,
    )
    const senders = startSenders(chat.url, fixture)
    await sleep(5000)

    log(`redis: ${senders.acknowledged.length} sends acknowledged; killing Redis`)
    const downAt = performance.now()
    await stopRedis(redis)
    await sleep(3000)
    redis = await startRedis(basePort)
    const upAt = performance.now()
    log('redis: started again, empty')

    let sendRecoveryMs: number | null = null
    let realtimeRecoveryMs: number | null = null
    const deadline = performance.now() + 60_000
    while (performance.now() < deadline && (sendRecoveryMs === null || realtimeRecoveryMs === null)) {
      const firstSend = senders.acknowledgedSince(upAt)[0]
      if (sendRecoveryMs === null && firstSend) sendRecoveryMs = Math.round(firstSend.at - upAt)
      if (realtimeRecoveryMs === null && fleet.lastPublicationAt() > upAt)
        realtimeRecoveryMs = Math.round(fleet.lastPublicationAt() - upAt)
      await sleep(50)
    }
    await sleep(2000)
    await senders.stop()

    const token = fixture.tokens[0]?.accessToken as string
    const me = await fetch(`${chat.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })
    const present = new Set(
      await (async () => {
        const client = new pg.Client({ connectionString: database.url })
        await client.connect()
        try {
          const { rows } = await client.query<{ id: string }>(
            'select client_message_id as id from chat.messages where client_message_id is not null',
          )
          return rows.map((r) => r.id)
        } finally {
          await client.end()
        }
      })(),
    )
    const ws = fleet.report()
    await fleet.close()
    const result: RedisLossDrillResult = {
      acknowledged: senders.acknowledged.length,
      lostAcknowledged: senders.acknowledged.filter((a) => !present.has(a.id)).length,
      failedSends: senders.failedSends(),
      failures: senders.failures,
      lastFailure: senders.lastFailure(),
      redisDownMs: Math.round(upAt - downAt),
      sendRecoveryMs,
      realtimeRecoveryMs,
      tokenStillValid: me.status === 200,
      rateLimitHeadersBack: me.headers.has('ratelimit-remaining') || me.headers.has('ratelimit'),
      websocketsOpen: ws.connected - ws.unexpectedCloses,
      serverErrors: chat.output.filter((line) => line.includes('"error"')).slice(-3),
    }
    log(`redis: ${JSON.stringify(result)}`)
    return result
  } finally {
    await chat.stop()
    await stopRedis(redis)
    await database.drop()
  }
}
