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
import { freePortBlock } from './ports.js'
import { startSenders } from './senders.js'
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
  log = console.log,
): Promise<FailoverDrillResult> {
  // primary, standby, the switch (+10) and the two product servers and the DEX's RPC (+20..22)
  const basePort = await freePortBlock(23)
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

    const senders = startSenders(chat.url, fixture)

    await sleep(5000)
    const lag = await primary.sql(
      'select coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0)::bigint from pg_stat_replication',
    )
    const cursorBefore = Number(
      await primary.sql('select coalesce(max(block_number), 0) from dex.indexer_cursor', 'drill'),
    )
    log(`${mode}: ${senders.acknowledged.length} sends acknowledged; crashing the primary`)
    const crashAt = performance.now()
    const ackedBeforeCrash = senders.acknowledged.length
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
      const chatBack = senders.acknowledgedSince(crashAt).length > 0
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
    await senders.stop()

    const firstAfter = senders.acknowledgedSince(crashAt)[0]
    const before = senders.acknowledged.filter((a) => a.at <= crashAt).map((a) => a.id)
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
      failedSends: senders.failedSends(),
      acknowledgedAfterRecovery: senders.acknowledgedSince(crashAt).length,
      failures: senders.failures,
      lastFailure: senders.lastFailure(),
      chatServerErrors: chat.output.filter((l) => l.includes('"error"')).slice(-3),
      dexServerErrors: dex.output.filter((l) => l.includes('"error"')).slice(-3),
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
