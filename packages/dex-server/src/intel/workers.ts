import type { DexDeps } from '../app.js'
import type { IntelService } from './service.js'

export interface IntelWorkers {
  /** Stops the workers in reverse start order; a failing stop is logged, the others still stop. */
  stop(): Promise<void>
}

/**
 * Starts the background work of each service in order. If one fails to start, the ones already
 * running are stopped and the error is rethrown, so a process never runs half its workers.
 */
export async function startIntelWorkers(
  services: readonly IntelService[],
  deps: DexDeps,
): Promise<IntelWorkers> {
  const running: Array<{ name: string; stop: () => Promise<void> }> = []
  const stop = async () => {
    for (const worker of running.splice(0).reverse()) {
      await worker
        .stop()
        .catch((error) =>
          deps.logger.error({ err: error, service: worker.name }, 'intel: worker stop failed'),
        )
    }
  }
  try {
    for (const service of services) {
      if (!service.start) continue
      const handle = await service.start(deps)
      running.push({ name: service.name, stop: handle.stop })
      deps.logger.info({ service: service.name }, 'intel: worker started')
    }
  } catch (error) {
    await stop()
    throw error
  }
  return { stop }
}
