/**
 * ChatSDK message-send benchmark (real PostgreSQL, DATABASE_URL).
 *
 * Side by side in one run, same rows, same table shape and indexes, same pool size, same
 * concurrency (100 senders over many channels):
 *   - api: POST /v1/channels/{id}/messages through the whole app (auth, schema validation,
 *     membership/ban checks, per-channel seq, outbox row in the same transaction, group commit),
 *     driven with app.inject (no sockets, so HTTP parsing is included but not the kernel);
 *   - domain: the same sends through sendMessage() without HTTP (where api's cost splits);
 *   - raw: plain single-row INSERTs of the same rows through pg (the physical limit).
 * Reports throughput, p50/p99 latency and api/raw. Target: ≥ 50% of raw, p99 ≤ 50 ms.
 * Rate limits stay on the api path (their cost counts) with limits high enough not to refuse.
 *
 * Fairness on a shared, noisy machine: every side first warms up (JIT, pool connections, first
 * token verifications) unrecorded, then the sides run interleaved in ROUNDS short rounds with the
 * order rotated each round, so a burst of outside load hits all sides alike instead of whichever
 * phase happened to run then. Totals pool all rounds; `rounds` lists each round's ratios.
 * Run alone: `DATABASE_URL=… tsx bench/chat-send.ts` (SENDERS, CHANNELS, SECONDS, ROUNDS,
 * POOL_SIZE, WRITER_LANES to tune; REDIS_URL puts the app's cache on Redis).
 */
import { randomBytes } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { buildChatApp, loadChatConfig, migrateChatSchema } from '@chatsdk/server'
import { sendMessage } from '@chatsdk/server/messages/send'
import { createCache } from '@platform/service-kit/cache'
import { openDatabase } from '@platform/service-kit/db'
import { uuidv7 } from '@platform/service-kit/http'
import { createLogger } from '@platform/service-kit/logging'
import { sql } from 'kysely'
import pg from 'pg'

export interface SendBenchResult {
  senders: number
  channels: number
  seconds: number
  poolSize: number
  cache: 'redis' | 'memory'
  api: Phase
  /** The domain send path alone (checks, group commit, outbox), without HTTP. */
  domain: Phase
  raw: Phase
  /** api throughput / raw throughput */
  ratio: number
  /** domain throughput / raw throughput */
  domainRatio: number
  /** Each round's api/raw and domain/raw throughput ratios (their spread shows the noise). */
  rounds: { ratio: number; domainRatio: number }[]
  targetMet: boolean
}

interface Phase {
  messages: number
  perSecond: number
  p50Ms: number
  p99Ms: number
  errors: number
}

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)

export async function run(): Promise<SendBenchResult> {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('chat-send needs DATABASE_URL (real PostgreSQL)')
  const senders = env('SENDERS', 100)
  const channelCount = env('CHANNELS', 200)
  const seconds = env('SECONDS', 8)
  const roundCount = env('ROUNDS', 4)
  const poolSize = env('POOL_SIZE', 20)
  const schema = `bench_chat_${randomBytes(4).toString('hex')}`

  // the API gets the same connection budget as the raw side: reads plus the writer's lanes
  const lanes = env('WRITER_LANES', 2) // the server's default MESSAGE_WRITER_LANES
  const database = await openDatabase({ url, schema, poolSize: poolSize - lanes })
  const writerDatabase = await openDatabase({ url, schema, poolSize: lanes })
  const { config } = loadChatConfig({
    MESSAGE_WRITER_LANES: String(lanes),
    // the per-user limits stay on the path (their cost is measured) but must not refuse the load
    RATE_LIMIT_USER_PER_MINUTE: '100000000',
    RATE_LIMIT_USER_SENDS_PER_MINUTE: '100000000',
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: 'bench-admin-key-0123456789',
  })
  const cache = createCache({ redisUrl: process.env.REDIS_URL, keyPrefix: `${schema}:` })
  const rawPool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: `-c search_path=${schema},public`,
  })
  try {
    progress(`migrating schema ${schema}`)
    await migrateChatSchema(database)
    // The raw side writes the same rows into a table with the same columns and indexes, minus the
    // foreign keys, the seq allocation and the outbox: what one INSERT per message costs.
    await sql
      .raw(
        'create table raw_messages (like messages including defaults including indexes including generated)',
      )
      .execute(database.kysely)

    const app = await buildChatApp({
      database,
      config,
      cache,
      logger: createLogger({ service: 'bench', level: 'silent' }),
      workers: false,
      writerDatabase,
    })
    await app.ready()
    progress('seeding app, users, channels')
    const admin = { authorization: `Bearer ${config.ADMIN_API_KEY}`, 'content-type': 'application/json' }
    const created = (
      await app.inject({ method: 'POST', url: '/v1/admin/apps', headers: admin, payload: { name: 'bench' } })
    ).json()
    const server = { 'x-api-key': created.apiKey as string, 'content-type': 'application/json' }
    const userIds = Array.from({ length: senders }, (_, i) => `u${i}`)
    for (let i = 0; i < userIds.length; i += 100) {
      await app.inject({
        method: 'POST',
        url: '/v1/users/bulk',
        headers: server,
        payload: { users: userIds.slice(i, i + 100).map((id) => ({ id, name: id })) },
      })
    }
    const tokens: string[] = []
    for (const id of userIds)
      tokens.push(
        (
          await app.inject({
            method: 'POST',
            url: `/v1/users/${id}/tokens`,
            headers: { 'x-api-key': created.apiKey },
          })
        ).json().accessToken,
      )
    // every channel gets 5 members; sender i posts to the channels it belongs to
    const channelsOf: string[][] = userIds.map(() => [])
    for (let c = 0; c < channelCount; c++) {
      const members = Array.from({ length: 5 }, (_, k) => (c * 5 + k) % senders)
      await app.inject({
        method: 'POST',
        url: '/v1/channels',
        headers: server,
        payload: {
          type: 'messaging',
          id: `c${c}`,
          members: members.map((m) => userIds[m]),
          createdBy: userIds[members[0]!],
        },
      })
      for (const m of members) channelsOf[m]!.push(`c${c}`)
    }

    const appId = created.app.id as string
    const { ctx, send } = app.chat.services
    const api: Side = async (sender, n) => {
      const channels = channelsOf[sender]!
      const response = await app.inject({
        method: 'POST',
        url: `/v1/channels/${channels[n % channels.length]}/messages`,
        headers: { authorization: `Bearer ${tokens[sender]}`, 'content-type': 'application/json' },
        payload: `{"text":"benchmark message ${n} from sender ${sender}","clientMessageId":"s${sender}-${n}"}`,
      })
      if (response.statusCode !== 201)
        throw new Error(`send answered ${response.statusCode}: ${response.body}`)
    }
    // The same sends without the HTTP layer (no inject, routing, JSON, token check): shows how the
    // cost splits between the domain path and the web framework.
    const domain: Side = async (sender, n) => {
      const channels = channelsOf[sender]!
      await sendMessage(
        ctx,
        send,
        { kind: 'user', appId, userId: userIds[sender]!, sessionId: '' },
        channels[n % channels.length]!,
        { text: `benchmark message ${n} from sender ${sender}`, clientMessageId: `d${sender}-${n}` },
      )
    }
    const seqs = new Map<string, number>()
    const raw: Side = async (sender, n) => {
      const channels = channelsOf[sender]!
      const channel = channels[n % channels.length]!
      const seq = (seqs.get(channel) ?? 0) + 1
      seqs.set(channel, seq)
      await rawPool.query(
        'insert into raw_messages (app_id, id, channel_id, seq, user_id, text, client_message_id) values ($1, $2, $3, $4, $5, $6, $7)',
        [
          appId,
          uuidv7(),
          channel,
          seq,
          userIds[sender],
          `benchmark message ${n} from sender ${sender}`,
          `r${sender}-${n}`,
        ],
      )
    }
    const sides = { api, domain, raw }
    type Name = keyof typeof sides

    // every sender keeps its own counter across rounds, so client message ids never repeat
    const counters = {
      api: new Array<number>(senders).fill(0),
      domain: new Array<number>(senders).fill(0),
      raw: new Array<number>(senders).fill(0),
    }
    const next = (name: Name) => (sender: number) => counters[name][sender]!++
    progress('warm-up: 1 s per side, not recorded')
    let warmSends = 0
    for (const name of ['api', 'domain', 'raw'] as Name[]) {
      const warm = await phase(senders, 1, sides[name], next(name))
      if (name !== 'raw') warmSends += counted(warm)
    }

    const totals: Record<Name, Sample> = { api: emptySample(), domain: emptySample(), raw: emptySample() }
    const rounds: { ratio: number; domainRatio: number }[] = []
    const order: Name[] = ['api', 'domain', 'raw']
    for (let round = 0; round < roundCount; round++) {
      const perSecond = {} as Record<Name, number>
      for (let k = 0; k < order.length; k++) {
        const name = order[(round + k) % order.length]!
        progress(
          `round ${round + 1}/${roundCount}: ${name}, ${senders} senders for ${seconds / roundCount} s`,
        )
        const sample = await phase(senders, seconds / roundCount, sides[name], next(name))
        perSecond[name] = sample.latencies.length / sample.elapsed
        merge(totals[name], sample)
      }
      rounds.push({
        ratio: round3(perSecond.api / perSecond.raw),
        domainRatio: round3(perSecond.domain / perSecond.raw),
      })
    }
    const result = {
      api: summarize(totals.api),
      domain: summarize(totals.domain),
      raw: summarize(totals.raw),
    }

    const stored = await sql<{ n: string }>`select count(*)::text as n from messages`.execute(database.kysely)
    const outbox = await sql<{
      n: string
    }>`select count(*)::text as n from outbox where type = 'message.new'`.execute(database.kysely)
    // every answered send is stored exactly once, with exactly one outbox event
    const sent = warmSends + counted(totals.api) + counted(totals.domain)
    if (Number(stored.rows[0]!.n) !== sent || Number(outbox.rows[0]!.n) !== sent) {
      throw new Error(
        `wrote ${stored.rows[0]!.n} messages and ${outbox.rows[0]!.n} outbox rows for ${sent} sends`,
      )
    }
    await app.close()
    const ratio = result.api.perSecond / result.raw.perSecond
    return {
      senders,
      channels: channelCount,
      seconds,
      poolSize,
      cache: process.env.REDIS_URL ? 'redis' : 'memory',
      ...result,
      ratio: round3(ratio),
      domainRatio: round3(result.domain.perSecond / result.raw.perSecond),
      rounds,
      targetMet: ratio >= 0.5 && result.api.p99Ms <= 50,
    }
  } finally {
    await rawPool.end()
    await sql.raw(`drop schema if exists "${schema}" cascade`).execute(database.kysely)
    await writerDatabase.close()
    await database.close()
    await cache.close()
  }
}

type Side = (worker: number, n: number) => Promise<void>

interface Sample {
  latencies: number[]
  elapsed: number
  errors: number
  /** Sends that completed, successful or not (the database may hold any of them). */
  attempts: number
}

const emptySample = (): Sample => ({ latencies: [], elapsed: 0, errors: 0, attempts: 0 })
const round3 = (x: number) => Math.round(x * 1000) / 1000
const counted = (sample: Sample) => sample.latencies.length

function merge(into: Sample, sample: Sample) {
  for (const latency of sample.latencies) into.latencies.push(latency)
  into.elapsed += sample.elapsed
  into.errors += sample.errors
  into.attempts += sample.attempts
}

function summarize(sample: Sample): Phase {
  const latencies = [...sample.latencies].sort((a, b) => a - b)
  const at = (q: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 100) / 100
  return {
    messages: latencies.length,
    perSecond: Math.round(latencies.length / sample.elapsed),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors: sample.errors,
  }
}

/** `workers` loops each calling `op(worker, n)` back to back for `seconds`; latency per call. */
async function phase(
  workers: number,
  seconds: number,
  op: Side,
  nextN: (worker: number) => number,
): Promise<Sample> {
  const sample = emptySample()
  let firstError: unknown
  const deadline = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t0 = performance.now()
        sample.attempts++
        try {
          await op(worker, nextN(worker))
          sample.latencies.push(performance.now() - t0)
        } catch (error) {
          sample.errors++
          firstError ??= error
        }
      }
    }),
  )
  if (firstError) console.error('first error:', firstError)
  sample.elapsed = (performance.now() - started) / 1000
  return sample
}

function progress(message: string) {
  console.error(`[chat-send] ${message}`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run()
  console.log(JSON.stringify(result, null, 2))
}
