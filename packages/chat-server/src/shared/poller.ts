import type { Logger } from '@platform/service-kit/logging'

/**
 * Runs `job` every `intervalMs`, never overlapping itself; when a run found work (returned > 0)
 * the next run starts at once, so a backlog drains without waiting for the timer.
 */
export function startPoller(
  name: string,
  intervalMs: number,
  job: () => Promise<number>,
  logger: Logger,
): () => Promise<void> {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  const run = async () => {
    let busy = 0
    try {
      busy = await job()
    } catch (error) {
      logger.error({ err: error, job: name }, 'background job failed')
    }
    if (!stopped) timer = setTimeout(() => (running = run()), busy > 0 ? 0 : intervalMs)
  }
  timer = setTimeout(() => (running = run()), intervalMs)
  timer.unref?.()
  return async () => {
    stopped = true
    if (timer) clearTimeout(timer)
    await running
  }
}
