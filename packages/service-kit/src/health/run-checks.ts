import type { HealthCheck } from './checks.js'

export const DEFAULT_CHECK_TIMEOUT_MS = 2000

export interface CheckResult {
  status: 'up' | 'down'
  durationMs: number
  error?: string
}

/** Runs every check at once, each bounded by its timeout, and reports per dependency. */
export async function runChecks(checks: HealthCheck[]): Promise<Record<string, CheckResult>> {
  const entries = await Promise.all(checks.map(async (check) => [check.name, await runOne(check)] as const))
  return Object.fromEntries(entries)
}

async function runOne(check: HealthCheck): Promise<CheckResult> {
  const started = performance.now()
  const timeoutMs = check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    await Promise.race([Promise.resolve().then(check.check), timeout])
    return { status: 'up', durationMs: Math.round(performance.now() - started) }
  } catch (error) {
    return {
      status: 'down',
      durationMs: Math.round(performance.now() - started),
      error: (error as Error).message,
    }
  } finally {
    clearTimeout(timer)
  }
}
