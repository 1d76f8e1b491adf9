/** Realtime channel names: `chat:{appId}:{channelId}` and `user:{appId}:{userId}`. */
export type ChannelKind = 'chat' | 'user'

export interface ParsedChannel {
  kind: ChannelKind
  appId: string
  id: string
}

const MAX_CHANNEL_LENGTH = 255

export function parseChannel(name: unknown): ParsedChannel | null {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_CHANNEL_LENGTH) return null
  const first = name.indexOf(':')
  const second = first < 0 ? -1 : name.indexOf(':', first + 1)
  if (second < 0) return null
  const kind = name.slice(0, first)
  if (kind !== 'chat' && kind !== 'user') return null
  const appId = name.slice(first + 1, second)
  const id = name.slice(second + 1)
  if (appId.length === 0 || id.length === 0) return null
  return { kind, appId, id }
}

export const chatChannel = (appId: string, channelId: string): string => `chat:${appId}:${channelId}`
export const userChannel = (appId: string, userId: string): string => `user:${appId}:${userId}`

/**
 * How the server API names a user: `{appId}:{userId}`. The same user id can exist in two apps, so
 * a bare user id would reach both tenants' connections. Centrifugo knows a connection only by its
 * `sub`, so in Centrifugo mode this is also the token's `sub` (the suffix of the personal channel
 * name). App ids never contain `:`; user ids may, so the first `:` splits.
 */
export const connectionUser = (appId: string, userId: string): string => `${appId}:${userId}`

export function parseConnectionUser(user: unknown): { appId: string; userId: string } | null {
  if (typeof user !== 'string') return null
  const at = user.indexOf(':')
  if (at <= 0 || at === user.length - 1) return null
  return { appId: user.slice(0, at), userId: user.slice(at + 1) }
}
