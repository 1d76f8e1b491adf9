import type { FastifyInstance } from 'fastify'
import { type Logger, shutdownLogger } from '../logging/index.js'

export interface RunServerOptions {
  port: number
  host?: string
  /** Window for in-flight requests to finish after a signal (default 15 s). */
  shutdownTimeoutMs?: number
  /** Runs after the server drained: close pools, queues, the tracer. */
  onShutdown?: () => Promise<void> | void
  signals?: NodeJS.Signals[]
  /** Process exit, replaceable in tests. */
  exit?: (code: number) => void
}

export interface RunningServer {
  url: string
  /** Drains and closes like a signal would, without exiting; resolves true when drained in time. */
  shutdown(reason?: string): Promise<boolean>
}

/**
 * Listens, and on SIGTERM/SIGINT shuts down gracefully: readiness turns 503, the listener closes
 * (new connections are refused), in-flight requests finish within the window, then onShutdown
 * closes the pools and the process exits 0 (1 when the window ran out or a close step failed).
 */
export async function runServer(app: FastifyInstance, options: RunServerOptions): Promise<RunningServer> {
  const timeoutMs = options.shutdownTimeoutMs ?? 15_000
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const url = await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' })
  app.log.info({ url }, 'server listening')

  let closing: Promise<boolean> | undefined
  const shutdown = (reason = 'shutdown') => {
    closing ??= drain(app, reason, timeoutMs, options.onShutdown)
    return closing
  }

  const signals = options.signals ?? ['SIGTERM', 'SIGINT']
  const onSignal = (signal: NodeJS.Signals) => {
    void shutdown(signal).then((clean) => {
      for (const name of signals) process.off(name, onSignal)
      exit(clean ? 0 : 1)
    })
  }
  for (const signal of signals) process.once(signal, onSignal)
  return { url, shutdown }
}

async function drain(
  app: FastifyInstance,
  reason: string,
  timeoutMs: number,
  onShutdown: RunServerOptions['onShutdown'],
): Promise<boolean> {
  const started = performance.now()
  app.log.info({ reason, timeoutMs }, 'shutdown: draining in-flight requests')
  app.lifecycle.shuttingDown = true
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), timeoutMs)
  })
  let clean = true
  const closed = app.close().then(() => 'closed' as const)
  if ((await Promise.race([closed, expired])) === 'expired') {
    clean = false
    app.log.warn({ timeoutMs }, 'shutdown: drain window expired, closing remaining connections')
    app.server.closeAllConnections()
    await closed
  }
  clearTimeout(timer)
  try {
    await onShutdown?.()
  } catch (error) {
    clean = false
    app.log.error({ err: error }, 'shutdown: closing resources failed')
  }
  app.log.info({ durationMs: Math.round(performance.now() - started), clean }, 'shutdown: done')
  await shutdownLogger(app.log as Logger)
  return clean
}
