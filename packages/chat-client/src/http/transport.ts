import type { TokenManager } from '../auth/tokens.js'
import type { Operations } from '../generated/api.js'
import { type BackoffOptions, backoffDelay, sleep } from './backoff.js'
import { ChatError, errorFromResponse } from './errors.js'

export type OperationKey = keyof Operations
type Op<K extends OperationKey> = Operations[K]
/** The input of one operation: path parameters, query and body, each only when the operation has it. */
export type OperationInput<K extends OperationKey> = (Op<K>['path'] extends undefined
  ? { path?: undefined }
  : { path: Op<K>['path'] }) &
  (Op<K>['query'] extends undefined ? { query?: undefined } : { query?: Op<K>['query'] | undefined }) &
  (Op<K>['body'] extends undefined ? { body?: undefined } : { body: Op<K>['body'] }) &
  CallOptions

export interface CallOptions {
  signal?: AbortSignal
  /**
   * Safe to send again after a failure without a response. GET, PUT and DELETE are; a POST is
   * when the server makes it so (a send with `clientMessageId`, a reaction, a read marker).
   */
  idempotent?: boolean
}

export interface RetryOptions extends BackoffOptions {
  /** Tries in all, the first included. */
  attempts: number
}

export interface TransportOptions {
  baseUrl: string
  tokens: TokenManager
  fetch?: typeof fetch
  retry?: Partial<RetryOptions>
  random?: () => number
}

const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseMs: 300, maxMs: 5_000 }
/** A 401 with one of these means "get a new token and try again", not "you may not". */
const TOKEN_CODES = new Set(['token_expired', 'invalid_token', 'token_revoked', 'token_required'])

/**
 * Sends one API operation: fills the path, adds the access token, retries what is safe to retry
 * with jittered backoff, refreshes the token once on a 401, and turns failures into ChatError.
 */
export class Transport {
  readonly baseUrl: string
  private readonly fetchImpl: typeof fetch
  private readonly retry: RetryOptions

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.retry = { ...DEFAULT_RETRY, ...options.retry }
  }

  call<K extends OperationKey>(operation: K, input: OperationInput<K>): Promise<Op<K>['response']> {
    const [method, template] = (operation as string).split(' ') as [string, string]
    const url = this.baseUrl + fillPath(template, input.path) + queryString(input.query)
    const body = input.body === undefined ? undefined : JSON.stringify(input.body)
    const idempotent = input.idempotent ?? (method === 'GET' || method === 'PUT' || method === 'DELETE')
    return this.send(method, url, { body, idempotent, signal: input.signal, json: body !== undefined })
  }

  /** Raw send for bodies the OpenAPI types cannot describe (multipart uploads). */
  async send<T>(
    method: string,
    url: string,
    init: {
      body?: string | FormData | undefined
      idempotent: boolean
      signal?: AbortSignal | undefined
      json?: boolean
    },
  ): Promise<T> {
    let refreshed = false
    for (let attempt = 0; ; attempt++) {
      const token = await this.options.tokens.accessToken()
      let response: Response
      try {
        response = await this.fetchImpl(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(init.json ? { 'content-type': 'application/json' } : {}),
          },
          ...(init.body === undefined ? {} : { body: init.body }),
          ...(init.signal ? { signal: init.signal } : {}),
        })
      } catch (cause) {
        const aborted = init.signal?.aborted === true
        const error = new ChatError(
          {
            status: 0,
            code: aborted ? 'aborted' : 'network_error',
            message: aborted ? 'request aborted' : 'no response from the server',
          },
          { cause },
        )
        if (!aborted && init.idempotent && attempt + 1 < this.retry.attempts) {
          await sleep(backoffDelay(attempt, this.retry, this.options.random), init.signal)
          continue
        }
        throw error
      }
      if (response.ok) return (await readJson(response)) as T
      const error = await errorFromResponse(response)
      if (response.status === 401 && !refreshed && TOKEN_CODES.has(error.code)) {
        // the request was refused before it did anything: safe to repeat once with a new token
        refreshed = true
        await this.options.tokens.refresh()
        attempt--
        continue
      }
      if (error.transient && init.idempotent && attempt + 1 < this.retry.attempts) {
        const wait = Math.max(
          backoffDelay(attempt, this.retry, this.options.random),
          (error.retryAfterSeconds ?? 0) * 1000,
        )
        await sleep(Math.min(wait, this.retry.maxMs * 4), init.signal)
        continue
      }
      throw error
    }
  }
}

export function fillPath(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name]
    if (value === undefined || value === null || value === '')
      throw new TypeError(`missing path parameter ${name}`)
    return encodeURIComponent(String(value))
  })
}

export function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined
  const text = await response.text()
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new ChatError(
      { status: response.status, code: 'invalid_response', message: 'the server answered with invalid JSON' },
      { cause },
    )
  }
}
