/**
 * Starts one product as its own process (`scripts/start.ts chat|dex`), as an operator would, so the
 * load generator does not share an event loop with the server it measures.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

export interface ServerProcess {
  url: string
  child: ChildProcess
  /** Lines the server printed to stderr (its errors), kept for the report when it fails. */
  stderr: string[]
  stop(): Promise<void>
}

export async function startProductProcess(
  product: 'chat' | 'dex',
  port: number,
  env: Record<string, string>,
  readyTimeoutMs = 120_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', product], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const stderr: string[] = []
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr.push(...chunk.split('\n').filter(Boolean))
    if (stderr.length > 200) stderr.splice(0, stderr.length - 200)
  })
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    await exited
    clearTimeout(timer)
  }
  const deadline = Date.now() + readyTimeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${product} exited with ${child.exitCode}: ${stderr.slice(-5).join('\n')}`)
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    )
    if (ready) return { url, child, stderr, stop }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  await stop()
  throw new Error(`${product} was not ready within ${readyTimeoutMs} ms: ${stderr.slice(-5).join('\n')}`)
}
