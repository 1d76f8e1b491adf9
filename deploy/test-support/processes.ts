/**
 * Helpers the deploy/ tests share: free ports in this project's test range, a scratch PostgreSQL
 * database per test file, and server processes started like their containers start them.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import pg from 'pg'

/**
 * Ports the deploy tests hand to servers they start. Below Linux's ephemeral range (32768-60999):
 * a port probed free there could be taken as the source port of any outgoing connection before
 * the child process binds it (CI saw EADDRINUSE on 48194), and clear of RabbitMQ's 25672.
 */
const PORT_RANGE = { first: 26000, last: 31999 }
/** Ports already handed out by this process: two callers must never get the same one. */
const handedOut = new Set<number>()

/** A port in the test range that nothing listens on right now and no caller here was given. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = PORT_RANGE.first + Math.floor(Math.random() * (PORT_RANGE.last - PORT_RANGE.first + 1))
    if (handedOut.has(port)) continue
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer()
      probe.once('error', () => resolve(false))
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
    })
    if (free) {
      handedOut.add(port)
      return port
    }
  }
  throw new Error(`no free port in ${PORT_RANGE.first}-${PORT_RANGE.last}`)
}

export interface ScratchDatabase {
  url: string
  drop(): Promise<void>
}

/** A new database on the PostgreSQL of DATABASE_URL (dropped by `drop`), so tests share no schema. */
export async function scratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test')
  const name = `ops_${prefix}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: base.toString() })
  await admin.connect()
  await admin.query(`create database "${name}"`)
  await admin.end()
  const url = new URL(base)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base.toString() })
      await client.connect()
      await client.query(`drop database if exists "${name}" with (force)`)
      await client.end()
    },
  }
}

export interface ServerProcess {
  child: ChildProcess
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export interface StartOptions {
  command: string
  args: string[]
  cwd?: string
  env: NodeJS.ProcessEnv
  /** Polled until it answers 2xx. */
  readyUrl: string
  timeoutMs?: number
  /** Run as this user and group id (the image's non-root user); only when the test runs as root. */
  uid?: number
}

export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const server: ServerProcess = {
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`)
    const ready = await fetch(options.readyUrl, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) return server
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  await server.stop('SIGKILL')
  throw new Error(`server not ready at ${options.readyUrl} within the timeout:\n${output}`)
}

/** Random production-looking secrets (no placeholder words), as an operator's env file would hold. */
export function productionSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url')
}
