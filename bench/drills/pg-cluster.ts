/**
 * Throw-away PostgreSQL clusters for the drills, on loopback ports the drills own, run from the
 * machine's PostgreSQL binaries as the `postgres` OS user (initdb refuses root).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The newest PostgreSQL server binaries on the machine (Debian's layout), if any. */
export function findPostgresBin(): string | undefined {
  for (const version of ['17', '16', '15']) {
    const dir = `/usr/lib/postgresql/${version}/bin`
    if (existsSync(join(dir, 'pg_ctl'))) return dir
  }
  return undefined
}

const asPostgres = (command: string, args: string[]) =>
  process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args)

export interface PgCluster {
  port: number
  dataDir: string
  url(database?: string): string
  sql(query: string, database?: string): Promise<string>
  stop(mode?: 'fast' | 'immediate'): Promise<void>
  start(): Promise<void>
  promote(): Promise<void>
}

/** A folder under /tmp that the postgres user may write. */
export async function clusterRoot(prefix: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), prefix))
  await chmod(root, 0o777)
  return root
}

function handle(bin: string, dataDir: string, port: number): PgCluster {
  const pgCtl = join(bin, 'pg_ctl')
  return {
    port,
    dataDir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    sql: async (query, database = 'postgres') =>
      (
        await run('psql', [
          '-X',
          '-qAt',
          '-v',
          'ON_ERROR_STOP=1',
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'postgres',
          '-d',
          database,
          '-c',
          query,
        ])
      ).stdout.trim(),
    stop: async (mode = 'fast') => {
      await asPostgres(pgCtl, ['-D', dataDir, '-m', mode, '-w', 'stop'])
    },
    start: async () => {
      // beside the data directory, not in it: pg_basebackup would copy it into the standby
      const log = `${dataDir}.log`
      await asPostgres(pgCtl, ['-D', dataDir, '-l', log, '-w', '-t', '60', 'start']).catch(async (error) => {
        // the reason is in the server's log, which goes away with the drill's folder
        const tail = (await readFile(log, 'utf8').catch(() => '')).split('\n').slice(-8).join('\n')
        throw new Error(`PostgreSQL on :${port} did not start: ${tail || String(error)}`)
      })
    },
    promote: async () => {
      await asPostgres(pgCtl, ['-D', dataDir, '-w', 'promote'])
    },
  }
}

/** initdb a primary with replication allowed from loopback, and start it. */
export async function startPrimary(
  bin: string,
  root: string,
  port: number,
  settings: Record<string, string> = {},
): Promise<PgCluster> {
  const dataDir = join(root, `pg-${port}`)
  await asPostgres(join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
  ])
  const conf = {
    port: String(port),
    listen_addresses: "'127.0.0.1'",
    unix_socket_directories: `'${root}'`,
    wal_level: 'replica',
    max_wal_senders: '5',
    max_replication_slots: '5',
    fsync: 'on',
    ...settings,
  }
  await writeFile(
    join(dataDir, 'postgresql.auto.conf'),
    `${Object.entries(conf)
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n')}\n`,
  )
  await writeFile(
    join(dataDir, 'pg_hba.conf'),
    'local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n',
  )
  const cluster = handle(bin, dataDir, port)
  await cluster.start()
  return cluster
}

/**
 * A streaming standby of `primary`, set up as PG 15+ expects: pg_basebackup -R writes
 * `standby.signal` and `primary_conninfo` (with the application name the primary's
 * synchronous_standby_names refers to), through a replication slot so the primary keeps the WAL
 * the standby still needs.
 */
export async function startStandby(
  bin: string,
  root: string,
  primary: PgCluster,
  port: number,
  name: string,
): Promise<PgCluster> {
  const dataDir = join(root, `pg-${port}`)
  await mkdir(dataDir, { mode: 0o700 })
  await run('chown', ['postgres:postgres', dataDir]).catch(() => {})
  await primary.sql(`select pg_create_physical_replication_slot('${name}')`)
  await asPostgres(join(bin, 'pg_basebackup'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    dataDir,
    '-R',
    '-S',
    name,
    '-X',
    'stream',
    '--no-sync',
    '-d',
    `application_name=${name}`,
  ])
  await writeFile(join(dataDir, 'postgresql.auto.conf'), `port = ${port}\n`, { flag: 'a' })
  const cluster = handle(bin, dataDir, port)
  await cluster.start()
  return cluster
}

export async function removeRoot(root: string, clusters: PgCluster[]): Promise<void> {
  await Promise.allSettled(clusters.map((c) => c.stop('immediate')))
  await rm(root, { recursive: true, force: true })
}
