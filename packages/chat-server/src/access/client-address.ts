import type { IncomingMessage } from 'node:http'

/**
 * The client address of a raw request (the WebSocket upgrade, which Fastify's `request.ip` never
 * sees). Behind a trusted proxy it is the left-most X-Forwarded-For entry, as Fastify takes it with
 * `trustProxy: true`; otherwise the socket's peer, so a client cannot pick its own address.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for']
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim()
    if (first) return first
  }
  return req.socket.remoteAddress ?? ''
}
