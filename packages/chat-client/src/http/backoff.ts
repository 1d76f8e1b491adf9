/** Reconnect and retry timing shared by REST retries and the offline queue. */
export interface BackoffOptions {
  /** First delay's upper bound, ms. */
  baseMs: number
  /** Largest delay, ms. */
  maxMs: number
}

/**
 * "Full jitter" exponential backoff: a uniformly random delay in [0, min(max, base * 2^attempt)].
 * Clients that failed together spread out instead of returning in lockstep.
 * `random` is injectable so tests can pin it.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random) {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt))
  return Math.floor(random() * ceiling)
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
