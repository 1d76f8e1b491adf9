/**
 * Failover drill: a PostgreSQL primary with a streaming standby on loopback, ChatSDK sending
 * messages and Soba DEX indexing through one "primary" address; then the primary crashes
 * (immediate shutdown: no checkpoint, no goodbye to clients), the standby is promoted and the
 * address moves to it. Measures:
 *   - RPO: messages the API acknowledged (201) before the crash that the promoted standby lacks;
 *   - RTO: from the crash to the first acknowledged send after it (ChatSDK), and to the first new
 *     block the DEX indexer writes (Soba DEX); promotion itself is timed apart.
 * Run in `sync` mode (synchronous_standby_names names the standby, synchronous_commit = on: a
 * commit returns once the standby has flushed it) and in `async` mode (the default replication:
 * a commit returns before the standby has it).
 */
import { randomBytes } from 'node:crypto'
import { createChatFixture } from '../load/http-json.js'
import { startProductProcess } from '../load/server-process.js'
import {
  clusterRoot,
  findPostgresBin,
  type PgCluster,
  removeRoot,
  startPrimary,
  startStandby,
} from './pg-cluster.js'
import { startTcpSwitch } from './tcp-switch.js'

export interface FailoverDrillResult {
  mode: 'sync' | 'async'
  acknowledgedBeforeCrash: number
  /** Acknowledged before the crash, missing after promotion. */
  lostAcknowledged: number
  /** Sends refused or failed between the crash and recovery (the client must retry them). */
  failedSends: number
  /** Failed sends by HTTP status, and the last failure's body: what a client saw during the outage. */
  failures: Record<string, number>
  lastFailure: string
  chatServerErrors: string[]
  dexServerErrors: string[]
  acknowledgedAfterRecovery: number
  promoteMs: number
  chatRtoMs: number
  dexRtoMs: number | null
  /** Replication lag (bytes of WAL not yet replayed on the standby) just before the crash. */
  replayLagBytesAtCrash: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('timed out waiting for replication')
    await sleep(100)
  }
}

export async function runFailoverDrill(
  mode: 'sync' | 'async',
  basePort = 49_200,
  log = console.log,
): Promise<FailoverDrillResult> {
  const bin = findPostgresBin()
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin')
  const root = await clusterRoot('failover-drill-')
  const clusters: PgCluster[] = []
  const stops: (() => Promise<void>)[] = []
  try {
    log(`${mode}: primary on :${basePort}, standby on :${basePort + 1}`)
    const primary = await startPrimary(bin, root, basePort, { synchronous_commit: 'on' })
    clusters.push(primary)
    await primary.sql('create database drill')
    const standby = await startStandby(bin, root, primary, basePort + 1, 'standby1')
    clusters.push(standby)
    // Synchronous replication is switched on once the standby streams: before that, every commit
    // would wait for a standby that is not there yet.
    if (mode === 'sync') {
      await waitFor(
        async () =>
          (await primary.sql("select count(*) from pg_stat_replication where state = 'streaming'")) === '1',
      )
      await primary.sql("alter system set synchronous_standby_names = 'standby1'")
      await primary.sql('select pg_reload_conf()')
      await waitFor(async () => (await primary.sql('select sync_state from pg_stat_replication')) === 'sync')
    }
    const address = await startTcpSwitch(basePort + 10, primary.port)
    stops.push(() => address.close())

    const adminKey = randomBytes(24).toString('hex')
    const env = {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${address.port}/drill`,
      ADMIN_API_KEY: adminKey,
      RATE_LIMIT_USER_SENDS_PER_MINUTE: '1000000',
      RATE_LIMIT_API_KEY_PER_MINUTE: '1000000',
      CHAIN_BLOCK_TIME_MS: '250',
    }
    const [chat, dex] = await Promise.all([
      startProductProcess('chat', basePort + 20, env),
      startProductProcess('dex', basePort + 21, { ...env, RPC_PORT: String(basePort + 22) }),
    ])
    stops.push(
      () => chat.stop(),
      () => dex.stop(),
    )
    const fixture = await createChatFixture(chat.url, adminKey, 'failover', 10, 10)

    // senders: each acknowledged send is remembered with the time of its acknowledgement
    const acknowledged: { id: string; sentAt: number; at: number }[] = []
    let failedSends = 0
    const failures: Record<string, number> = {}
    let lastFailure = ''
    let sending = true
    const senders = fixture.channels.map(async (channel, i) => {
      for (let n = 0; sending; n++) {
        const id = `s${i}-${n}`
        const sentAt = performance.now()
        const response = await fetch(`${chat.url}/v1/channels/${channel}/messages`, {
          method: 'POST',
          headers: { 'x-api-key': fixture.apiKey, 'content-type': 'application/json' },
          body: JSON.stringify({ text: `failover ${id}`, clientMessageId: id, userId: fixture.users[i] }),
          // a client gives up on a send that hangs, and retries later with the same clientMessageId
          signal: AbortSignal.timeout(5000),
        }).catch(() => null)
        if (response?.status === 201 || response?.status === 200)
          acknowledged.push({ id, sentAt, at: performance.now() })
        else {
          failedSends++
          const key = String(response?.status ?? 'no response')
          failures[key] = (failures[key] ?? 0) + 1
          lastFailure = response ? await response.text() : 'connection refused or reset'
          await sleep(50)
        }
      }
    })

    await sleep(5000)
    const lag = await primary.sql(
      'select coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0)::bigint from pg_stat_replication',
    )
    const cursorBefore = Number(
      await primary.sql('select coalesce(max(block_number), 0) from dex.indexer_cursor', 'drill'),
    )
    log(`${mode}: ${acknowledged.length} sends acknowledged; crashing the primary`)
    const crashAt = performance.now()
    const ackedBeforeCrash = acknowledged.length
    await primary.stop('immediate')
    const promoteStarted = performance.now()
    await standby.promote()
    const promoteMs = performance.now() - promoteStarted
    address.moveTo(standby.port)

    // wait for both products to write again
    let dexRtoMs: number | null = null
    const deadline = performance.now() + 60_000
    while (performance.now() < deadline) {
      // a send that started after the crash and was acknowledged: the write path works again
      const chatBack = acknowledged.some((a) => a.sentAt > crashAt)
      if (dexRtoMs === null) {
        const cursor = Number(
          await standby
            .sql('select coalesce(max(block_number), 0) from dex.indexer_cursor', 'drill')
            .catch(() => '0'),
        )
        if (cursor > cursorBefore) dexRtoMs = performance.now() - crashAt
      }
      if (chatBack && dexRtoMs !== null) break
      await sleep(100)
    }
    await sleep(2000)
    sending = false
    await Promise.all(senders)

    const firstAfter = acknowledged.find((a) => a.sentAt > crashAt)
    const before = acknowledged.filter((a) => a.at <= crashAt).map((a) => a.id)
    const present = new Set(
      (
        await standby.sql(
          `select client_message_id from chat.messages where client_message_id is not null`,
          'drill',
        )
      ).split('\n'),
    )
    const result: FailoverDrillResult = {
      mode,
      acknowledgedBeforeCrash: ackedBeforeCrash,
      lostAcknowledged: before.filter((id) => !present.has(id)).length,
      failedSends,
      acknowledgedAfterRecovery: acknowledged.filter((a) => a.sentAt > crashAt).length,
      failures,
      lastFailure: lastFailure.slice(0, 300),
      chatServerErrors: chat.stderr.slice(-5),
      dexServerErrors: dex.stderr.slice(-5),
      promoteMs: Math.round(promoteMs),
      chatRtoMs: firstAfter ? Math.round(firstAfter.at - crashAt) : -1,
      dexRtoMs: dexRtoMs === null ? null : Math.round(dexRtoMs),
      replayLagBytesAtCrash: Number(lag),
    }
    log(`${mode}: ${JSON.stringify(result)}`)
    return result
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {})
    await removeRoot(root, clusters)
  }
}
