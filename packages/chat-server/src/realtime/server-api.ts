/**
 * The Centrifugo v5 server HTTP API shape, served by the gateway: `POST /api/<method>` with a JSON
 * body, `Authorization: apikey <key>` (or `X-API-Key`), answering `{"result": …}` or
 * `{"error": {"code", "message"}}`. Backends written for Centrifugo publish to us unchanged.
 */
import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { parseChannel, parseConnectionUser } from './channels.js'
import type { Publisher } from './publisher.js'

export interface ServerApiOptions {
  apiKey: string
  publisher: Publisher
  /** Channels served on this node, for `info`. */
  info?: () => Record<string, unknown>
}

const badRequest = { code: 107, message: 'bad request' }

function keyMatches(expected: Buffer, given: string | undefined): boolean {
  if (!given) return false
  const buf = Buffer.from(given)
  return buf.length === expected.length && timingSafeEqual(buf, expected)
}

function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization
  if (typeof auth === 'string' && auth.toLowerCase().startsWith('apikey ')) return auth.slice(7).trim()
  const header = request.headers['x-api-key']
  return typeof header === 'string' ? header : undefined
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

export function serverApiPlugin(options: ServerApiOptions) {
  const expected = Buffer.from(options.apiKey)
  const publisher = options.publisher
  type Handler = (params: Record<string, unknown>) => Promise<unknown>

  const channelOf = (params: Record<string, unknown>): string => {
    if (!parseChannel(params.channel)) throw { code: 102, message: 'unknown channel' }
    return params.channel as string
  }
  // Users are `{appId}:{userId}`: a bare user id would reach the same id in every app.
  const userOf = (params: Record<string, unknown>): string => {
    if (!parseConnectionUser(params.user)) throw { code: 107, message: 'user must be {appId}:{userId}' }
    return params.user as string
  }
  const publishOptions = (params: Record<string, unknown>) => ({
    skipHistory: params.skip_history === true,
    idempotencyKey: typeof params.idempotency_key === 'string' ? params.idempotency_key : undefined,
    tags: isObject(params.tags) ? (params.tags as Record<string, string>) : undefined,
  })

  const methods: Record<string, Handler> = {
    async publish(params) {
      const channel = channelOf(params)
      if (!('data' in params)) throw badRequest
      const position = await publisher.publish({ channel, data: params.data, ...publishOptions(params) })
      return position ? { offset: position.offset, epoch: position.epoch } : {}
    },
    async broadcast(params) {
      const channels = params.channels
      if (!Array.isArray(channels) || channels.length === 0 || !('data' in params)) throw badRequest
      const responses = await Promise.all(
        channels.map(async (channel) => {
          if (!parseChannel(channel)) return { error: { code: 102, message: 'unknown channel' } }
          const position = await publisher.publish({
            channel: channel as string,
            data: params.data,
            ...publishOptions(params),
          })
          return { result: position ? { offset: position.offset, epoch: position.epoch } : {} }
        }),
      )
      return { responses }
    },
    async presence(params) {
      return { presence: await publisher.presence(channelOf(params)) }
    },
    async presence_stats(params) {
      const stats = await publisher.presenceStats(channelOf(params))
      return { num_clients: stats.numClients, num_users: stats.numUsers }
    },
    async history(params) {
      const channel = channelOf(params)
      const since = isObject(params.since)
        ? { offset: Number(params.since.offset ?? 0), epoch: String(params.since.epoch ?? '') }
        : undefined
      const limit = Number(params.limit ?? 0)
      if (!Number.isFinite(limit) || limit < 0) throw badRequest
      const { publications, position } = await publisher.history(channel, {
        limit,
        since,
        reverse: params.reverse === true,
      })
      if (since && since.epoch !== position.epoch) throw { code: 112, message: 'unrecoverable position' }
      return { publications, offset: position.offset, epoch: position.epoch }
    },
    async disconnect(params) {
      const d = isObject(params.disconnect) ? params.disconnect : {}
      await publisher.disconnect(userOf(params), {
        client: typeof params.client === 'string' ? params.client : undefined,
        code: typeof d.code === 'number' ? d.code : undefined,
        reason: typeof d.reason === 'string' ? d.reason : undefined,
      })
      return {}
    },
    async unsubscribe(params) {
      const channel = channelOf(params)
      await publisher.unsubscribe(userOf(params), channel, {
        client: typeof params.client === 'string' ? params.client : undefined,
      })
      return {}
    },
    async history_remove(params) {
      await publisher.removeHistory(channelOf(params))
      return {}
    },
    async info() {
      return { nodes: [options.info?.() ?? {}] }
    },
  }

  return async function serverApi(app: FastifyInstance): Promise<void> {
    app.post('/api/:method', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!keyMatches(expected, presentedKey(request))) {
        return reply.code(401).send({ error: { code: 101, message: 'unauthorized' } })
      }
      const method = (request.params as { method: string }).method
      const handler = Object.hasOwn(methods, method) ? methods[method] : undefined
      if (!handler) return reply.code(404).send({ error: { code: 104, message: 'method not found' } })
      const params = request.body
      if (!isObject(params)) return reply.send({ error: badRequest })
      try {
        return reply.send({ result: await handler(params) })
      } catch (err) {
        if (isObject(err) && typeof err.code === 'number' && typeof err.message === 'string') {
          return reply.send({ error: { code: err.code, message: err.message } })
        }
        request.log.error({ err }, 'server api call failed')
        return reply.send({ error: { code: 100, message: 'internal server error' } })
      }
    })
  }
}
