/**
 * Publisher driver for the Centrifugo v5 server HTTP API (`POST {url}/api/<method>`, header
 * `Authorization: apikey <key>`). Works against a real Centrifugo and against our gateway.
 */
import type { ClientInfo, Publication, StreamPosition } from './protocol.js'
import type { Publisher } from './publisher.js'

export interface CentrifugoHttpOptions {
  /** Base URL, e.g. http://centrifugo:8000 */
  url: string
  apiKey: string
  timeoutMs?: number
  fetch?: typeof fetch
}

export class CentrifugoApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`centrifugo api error ${code}: ${message}`)
  }
}

export function createCentrifugoPublisher(options: CentrifugoHttpOptions): Publisher {
  const base = options.url.replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const call = async <T>(method: string, params: Record<string, unknown>): Promise<T> => {
    const res = await doFetch(`${base}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `apikey ${options.apiKey}` },
      body: JSON.stringify(params),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    })
    if (!res.ok) throw new CentrifugoApiError(res.status, `http status ${res.status}`)
    const body = (await res.json()) as { result?: T; error?: { code: number; message: string } }
    if (body.error) throw new CentrifugoApiError(body.error.code, body.error.message)
    return (body.result ?? {}) as T
  }
  return {
    async publish(req) {
      const result = await call<{ offset?: number; epoch?: string }>('publish', {
        channel: req.channel,
        data: req.data ?? null,
        skip_history: req.skipHistory || undefined,
        idempotency_key: req.idempotencyKey,
        tags: req.tags,
      })
      return result.offset !== undefined ? { offset: result.offset, epoch: result.epoch ?? '' } : null
    },
    async broadcast(channels, data, opts = {}) {
      const result = await call<{ responses?: { error?: { code: number; message: string } }[] }>(
        'broadcast',
        {
          channels,
          data: data ?? null,
          skip_history: opts.skipHistory || undefined,
          idempotency_key: opts.idempotencyKey,
          tags: opts.tags,
        },
      )
      const failed = result.responses?.find((r) => r.error)
      if (failed?.error) throw new CentrifugoApiError(failed.error.code, failed.error.message)
    },
    async presence(channel) {
      const result = await call<{ presence?: Record<string, ClientInfo> }>('presence', { channel })
      return result.presence ?? {}
    },
    async presenceStats(channel) {
      const result = await call<{ num_clients?: number; num_users?: number }>('presence_stats', { channel })
      return { numClients: result.num_clients ?? 0, numUsers: result.num_users ?? 0 }
    },
    async history(channel, opts = {}) {
      const result = await call<{ publications?: Publication[]; offset?: number; epoch?: string }>(
        'history',
        {
          channel,
          limit: opts.limit ?? 0,
          since: opts.since,
          reverse: opts.reverse || undefined,
        },
      )
      const position: StreamPosition = { offset: result.offset ?? 0, epoch: result.epoch ?? '' }
      return { publications: result.publications ?? [], position }
    },
    async disconnect(user, opts = {}) {
      await call('disconnect', {
        user,
        client: opts.client,
        disconnect: { code: opts.code ?? 3503, reason: opts.reason ?? 'force disconnect' },
      })
    },
    async unsubscribe(user, channel, opts = {}) {
      await call('unsubscribe', { user, channel, client: opts.client })
    },
    async removeHistory(channel) {
      await call('history_remove', { channel })
    },
  }
}
