import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { uuidv7 } from './uuidv7.js'

export const REQUEST_ID_HEADER = 'x-request-id'

/** A caller's id is kept only when it is short and plain, so it cannot inject into logs or headers. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/

export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER]
  return typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : uuidv7()
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/

/** Trace id of a W3C traceparent header, or a fresh one, for log correlation when no tracer runs. */
export function traceIdOf(request: IncomingMessage): string {
  const header = request.headers.traceparent
  const match = typeof header === 'string' ? TRACEPARENT.exec(header.trim()) : null
  if (match && !/^0+$/.test(match[1]!)) return match[1]!
  return randomUUID().replaceAll('-', '')
}
