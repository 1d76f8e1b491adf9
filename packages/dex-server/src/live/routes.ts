import { Type } from '@sinclair/typebox'
import type { DexPlugin } from '../app.js'
import { AddressSchema, IntervalSchema } from '../market/schemas.js'
import { LIVE_CHANNELS, type LiveChannel, type LiveMessage } from './hub.js'

const HEARTBEAT_MS = 15_000
/** A client this far behind is dropped instead of buffering without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024

export const liveRoutes: DexPlugin = async (app, { live }) => {
  app.get(
    '/v1/stream',
    {
      schema: {
        summary: 'Server-sent events: new swaps, pool updates and candles',
        description:
          'Events are named `swaps`, `pools`, `candles` and `reorg` (the index rolled back to `fork`: refetch). ' +
          'Filter with `channels` (comma-separated), `pool` and `interval`.',
        tags: ['live'],
        querystring: Type.Object(
          {
            channels: Type.String({
              pattern: `^(${LIVE_CHANNELS.join('|')})(,(${LIVE_CHANNELS.join('|')}))*$`,
              default: LIVE_CHANNELS.join(','),
            }),
            pool: Type.Optional(AddressSchema),
            interval: Type.Optional(IntervalSchema),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { channels, pool, interval } = request.query
      const headers: Record<string, string> = {}
      for (const [key, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) headers[key] = String(value)
      }
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      res.write(': connected\n\n')
      let closed = false
      const close = () => {
        if (closed) return
        closed = true
        unsubscribe()
        clearInterval(heartbeat)
        res.end()
      }
      const unsubscribe = live.subscribe({
        channels: new Set(channels.split(',') as LiveChannel[]),
        pool: pool?.toLowerCase(),
        interval,
        send(message: LiveMessage) {
          if (res.writableLength > MAX_BUFFERED_BYTES) return close()
          res.write(`event: ${message.channel}\ndata: ${JSON.stringify(message.data)}\n\n`)
        },
        close,
      })
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS)
      request.raw.on('close', close)
    },
  )
}
