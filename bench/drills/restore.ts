/**
 * Restore drill on real PostgreSQL: both products write real data through their APIs into a fresh
 * database (ChatSDK: an app, users, channels and messages; Soba DEX: its indexer following the
 * embedded chain while the market simulator trades), then deploy/backup/pg-backup.sh dumps it,
 * deploy/backup/pg-restore.sh restores the dump into a new database, and every table's row count
 * and content checksum is compared. Reports the dump and restore times and sizes.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { callJson, createChatFixture } from '../load/http-json.js'
import { startProductProcess } from '../load/server-process.js'
import { differences, fingerprint } from './compare-databases.js'
import { freePortBlock } from './ports.js'
import { createScratchDatabase } from './scratch-database.js'

const run = promisify(execFile)
const backupDir = fileURLToPath(new URL('../../deploy/backup/', import.meta.url))

export interface RestoreDrillResult {
  tables: number
  rows: number
  messages: number
  dumpBytes: number
  dumpMs: number
  restoreMs: number
  /** Tables whose count or checksum differ; empty when the restore is exact. */
  differences: string[]
}

/** `serverUrl`: any database on the server (e.g. DATABASE_URL); the drill creates and drops its own. */
export async function runRestoreDrill(serverUrl: string, log = console.log): Promise<RestoreDrillResult> {
  const source = await createScratchDatabase(serverUrl, 'drill_source')
  // created by pg-restore.sh; dropped here afterwards
  const target = await createScratchDatabase(serverUrl, 'drill_restore')
  await target.drop()
  const work = await mkdtemp(join(tmpdir(), 'restore-drill-'))
  try {
    log('writing data through both products')
    const adminKey = randomBytes(24).toString('hex')
    // the chat server, the DEX server and its RPC
    const port = await freePortBlock(3)
    const env = {
      DATABASE_URL: source.url,
      ADMIN_API_KEY: adminKey,
      DATA_DIR: work,
      CHAIN_BLOCK_TIME_MS: '200',
      SIM_INTERVAL_MS: '200',
    }
    const [chat, dex] = await Promise.all([
      startProductProcess('chat', port, env),
      startProductProcess('dex', port + 1, { ...env, RPC_PORT: String(port + 2) }),
    ])
    let messages = 0
    try {
      const fixture = await createChatFixture(chat.url, adminKey, 'restore', 10, 5)
      const server = { 'x-api-key': fixture.apiKey }
      for (let round = 0; round < 40; round++) {
        await Promise.all(
          fixture.channels.map((channel, i) =>
            callJson(chat.url, 'POST', `/v1/channels/${channel}/messages`, server, {
              text: `drill message ${round} ✓ ünïcode`,
              userId: fixture.users[(round + i) % fixture.users.length],
            }),
          ),
        )
        messages += fixture.channels.length
      }
    } finally {
      await Promise.all([chat.stop(), dex.stop()])
    }

    log('dumping with deploy/backup/pg-backup.sh')
    const dumpStarted = performance.now()
    const backup = await run('bash', [join(backupDir, 'pg-backup.sh')], {
      env: { ...process.env, DATABASE_URL: source.url, BACKUP_DIR: work, RETENTION_DAYS: '30' },
    })
    const dumpMs = performance.now() - dumpStarted
    const dumpFile = backup.stdout.trim().split('\n').at(-1) as string

    log('restoring with deploy/backup/pg-restore.sh')
    const restoreStarted = performance.now()
    await run('bash', [join(backupDir, 'pg-restore.sh'), dumpFile, target.url])
    const restoreMs = performance.now() - restoreStarted

    log('comparing every table')
    const [before, after] = await Promise.all([fingerprint(source.url), fingerprint(target.url)])
    return {
      tables: before.length,
      rows: before.reduce((sum, t) => sum + t.rows, 0),
      messages,
      dumpBytes: (await stat(dumpFile)).size,
      dumpMs: Math.round(dumpMs),
      restoreMs: Math.round(restoreMs),
      differences: differences(before, after),
    }
  } finally {
    await source.drop()
    await target.drop()
    await rm(work, { recursive: true, force: true })
  }
}
