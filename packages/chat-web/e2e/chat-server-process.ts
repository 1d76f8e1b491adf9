import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = fileURLToPath(new URL('../../..', import.meta.url))

export interface RunningServer {
  url: string
  /** Everything the server printed, for a failing test's message. */
  output(): string
  stop(): Promise<void>
}

/**
 * Starts chat-server the way `npm run start:chat` does on a fresh clone (embedded PGlite in its
 * own data directory, in-memory cache, the demo app seeded, the built web app at /), on a free
 * port, and resolves once it prints its URL. The database, Redis and RabbitMQ URLs of the CI
 * environment are removed so the run is the embedded one, whatever the machine has.
 */
export async function startChatServer(): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'chat-web-e2e-'))
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    DATA_DIR: dataDir,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
  }
  delete env.DATABASE_URL
  delete env.REDIS_URL
  delete env.AMQP_URL
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', 'chat'], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let printed = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`chat-server did not start in 180 s:\n${printed}`)),
      180_000,
    )
    const onData = (chunk: Buffer) => {
      printed += chunk.toString()
      const match = /ChatSDK\s+(http:\/\/\S+)/.exec(printed)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      printed += chunk.toString()
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`chat-server exited with ${code}:\n${printed}`))
    })
  })
  return {
    url,
    output: () => printed,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
