import { type FailureKind, ProviderFailure } from './types.js'

export interface HttpOptions {
  provider: string
  timeoutMs: number
  /** Extra attempts after the first, on timeouts, network errors, 429 and 5xx. */
  retries: number
  /** First backoff; doubles per retry. A Retry-After header (seconds) wins, capped at maxBackoffMs. */
  backoffMs?: number
  maxBackoffMs?: number
  headers?: Record<string, string>
  fetch?: typeof fetch
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * POSTs JSON and returns the parsed answer. Each attempt has its own timeout; timeouts, network
 * errors, 429 and 5xx are retried with exponential backoff (honouring Retry-After); other 4xx are
 * final. Failures leave as ProviderFailure with the kind of the last attempt's failure.
 */
export async function postJson(url: string, body: unknown, options: HttpOptions): Promise<unknown> {
  const doFetch = options.fetch ?? fetch
  const base = options.backoffMs ?? 200
  const cap = options.maxBackoffMs ?? 2000
  let last: ProviderFailure | null = null
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    if (attempt > 0 && last) await sleep(Math.min(cap, retryDelay(last, base * 2 ** (attempt - 1))))
    let response: Response
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      })
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError'
      last = failure(
        options.provider,
        timedOut ? 'timeout' : 'network',
        timedOut ? `no answer within ${options.timeoutMs} ms` : String((error as Error).message),
      )
      continue
    }
    if (response.ok) {
      try {
        return await response.json()
      } catch {
        throw failure(options.provider, 'bad_response', 'the answer is not JSON', response.status)
      }
    }
    const kind: FailureKind =
      response.status === 429 ? 'rate_limited' : response.status >= 500 ? 'server_error' : 'rejected'
    const detail = `HTTP ${response.status}`
    await response.body?.cancel().catch(() => undefined)
    last = Object.assign(failure(options.provider, kind, detail, response.status), {
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    })
    if (kind === 'rejected') throw last
  }
  throw last ?? failure(options.provider, 'network', 'no attempt made')
}

function failure(provider: string, kind: FailureKind, detail: string, status?: number) {
  return new ProviderFailure(provider, kind, detail, status)
}

function retryDelay(last: ProviderFailure, backoff: number): number {
  const hinted = (last as ProviderFailure & { retryAfterMs?: number | undefined }).retryAfterMs
  return hinted ?? backoff
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}
