/**
 * Wire shapes of the Centrifugo v5 JSON client protocol, as the `centrifuge` npm client sends and
 * reads them: one JSON object per line, a command carries `id` and one method field, a reply
 * carries the same `id` and one result field (or `error`), a push has no id.
 */
import type { ProtocolError } from './codes.js'

export interface ClientInfo {
  user: string
  client: string
  conn_info?: unknown
  chan_info?: unknown
}

export interface Publication {
  data: unknown
  offset?: number
  info?: ClientInfo
  tags?: Record<string, string>
}

export interface StreamPosition {
  offset: number
  epoch: string
}

export interface ConnectRequest {
  token?: string
  data?: unknown
  subs?: Record<string, { recover?: boolean; offset?: number; epoch?: string }>
  name?: string
  version?: string
}

export interface SubscribeRequest {
  channel?: string
  token?: string
  recover?: boolean
  offset?: number
  epoch?: string
  join_leave?: boolean
  recoverable?: boolean
  positioned?: boolean
  flag?: number
  data?: unknown
}

export interface SubscribeResult {
  expires?: boolean
  ttl?: number
  recoverable?: boolean
  positioned?: boolean
  epoch?: string
  offset?: number
  publications?: Publication[]
  recovered?: boolean
  was_recovering?: boolean
}

export interface HistoryRequest {
  channel?: string
  limit?: number
  since?: { offset?: number; epoch?: string }
  reverse?: boolean
}

export interface Command {
  id?: number
  connect?: ConnectRequest
  subscribe?: SubscribeRequest
  unsubscribe?: { channel?: string }
  publish?: { channel?: string; data?: unknown }
  presence?: { channel?: string }
  presence_stats?: { channel?: string }
  history?: HistoryRequest
  ping?: Record<string, never>
  send?: { data?: unknown }
  rpc?: { method?: string; data?: unknown }
  refresh?: { token?: string }
  sub_refresh?: { channel?: string; token?: string }
}

export type Reply = { id: number; error: ProtocolError } | ({ id: number } & Record<string, unknown>)

/** The methods this gateway answers; anything else is "method not found". */
export const METHODS = [
  'connect',
  'subscribe',
  'unsubscribe',
  'publish',
  'presence',
  'presence_stats',
  'history',
  'ping',
  'send',
  'rpc',
  'refresh',
  'sub_refresh',
] as const
export type Method = (typeof METHODS)[number]

export function methodOf(cmd: Command): Method | undefined {
  for (const m of METHODS) if ((cmd as Record<string, unknown>)[m] !== undefined) return m
  return undefined
}

export const pushPublication = (channel: string, pub: Publication): string =>
  JSON.stringify({ push: { channel, pub } })
export const pushJoin = (channel: string, info: ClientInfo): string =>
  JSON.stringify({ push: { channel, join: { info } } })
export const pushLeave = (channel: string, info: ClientInfo): string =>
  JSON.stringify({ push: { channel, leave: { info } } })
