/**
 * The operations drills, run against the real services (CI sets DATABASE_URL and has PostgreSQL's
 * and Redis's binaries). Outcomes are checked here; the measured times go to the drill reports
 * (`npm run drill -- <name>`), never into assertions.
 */
import { execFileSync } from 'node:child_process'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { differences, fingerprint } from './compare-databases.js'
import { runFailoverDrill } from './failover.js'
import { findPostgresBin } from './pg-cluster.js'
import { runRedisLossDrill } from './redis-loss.js'
import { runRestoreDrill } from './restore.js'
import { createScratchDatabase } from './scratch-database.js'

const url = process.env.DATABASE_URL
const hasRedisServer = (() => {
  try {
    execFileSync('redis-server', ['--version'])
    return true
  } catch {
    return false
  }
})()
const quiet = () => {}

describe.runIf(url)('database fingerprints', () => {
  it('see one changed value in any row (so a restore that differs cannot pass)', async () => {
    const scratch = await createScratchDatabase(url!, 'drill_fingerprint')
    const client = new pg.Client({ connectionString: scratch.url })
    await client.connect()
    try {
      await client.query(
        "create table t (id int primary key, v text); insert into t values (1, 'a'), (2, 'b')",
      )
      const before = await fingerprint(scratch.url)
      await client.query("update t set v = 'B' where id = 2")
      expect(differences(before, await fingerprint(scratch.url))).toEqual([
        'public.t: same row count, different content',
      ])
      await client.query('delete from t where id = 1')
      expect(differences(before, await fingerprint(scratch.url))).toEqual(['public.t: 2 rows, copy 1'])
    } finally {
      await client.end()
      await scratch.drop()
    }
  })
})

describe.runIf(url)('restore drill', () => {
  it('restores a dump of both products into a new database with every table equal', async () => {
    const result = await runRestoreDrill(url!, quiet)
    expect(result.differences).toEqual([])
    expect(result.tables).toBeGreaterThan(20)
    expect(result.rows).toBeGreaterThan(result.messages)
  }, 240_000)
})

describe.runIf(url && findPostgresBin())('failover drill', () => {
  it('with synchronous replication loses no acknowledged message, and both products write again after promotion', async () => {
    const result = await runFailoverDrill('sync', quiet)
    expect(result.acknowledgedBeforeCrash).toBeGreaterThan(0)
    expect(result.lostAcknowledged).toBe(0)
    expect(result.acknowledgedAfterRecovery).toBeGreaterThan(0)
    expect(result.dexRtoMs).not.toBeNull()
    // while the database was away, clients were told to retry, never shown a server bug
    expect(result.failures['500']).toBeUndefined()
  }, 300_000)
})

describe.runIf(url && hasRedisServer)('Redis loss drill', () => {
  it('loses no acknowledged message; sends, tokens, rate limits and realtime come back with an empty Redis', async () => {
    const result = await runRedisLossDrill(url!, quiet)
    expect(result.lostAcknowledged).toBe(0)
    expect(result.sendRecoveryMs).not.toBeNull()
    expect(result.realtimeRecoveryMs).not.toBeNull()
    expect(result.tokenStillValid).toBe(true)
    expect(result.rateLimitHeadersBack).toBe(true)
    expect(result.failures['500']).toBeUndefined()
  }, 240_000)
})
