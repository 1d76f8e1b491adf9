/**
 * Outbox events that change live connections instead of being published: what REST takes away,
 * the socket takes away too. The domain writes them in the transaction of the change (membership
 * removed, channel deleted, ban, token revocation, erasure), so they cannot be lost, and the
 * outbox relay carries them out in outbox order: a server-side unsubscribe reaches every node
 * before any event written after it is published. Neither clients nor webhooks ever see them.
 */
import type { OutboxEvent } from './outbox.js'
import { chatChannelName, userChannelName } from './realtime-names.js'

export const CONTROL_PREFIX = 'control.'

export const isControlEvent = (type: string): boolean => type.startsWith(CONTROL_PREFIX)

/** Why a user's connections are closed: a revoked token may reconnect with a valid one, a ban may not. */
export type DisconnectCause = 'tokens_revoked' | 'banned' | 'erased'

export type ControlPayload =
  | { action: 'unsubscribe'; userId: string; channel: string }
  | { action: 'disconnect'; userId: string; cause: DisconnectCause }
  | { action: 'history_remove'; channel: string }

const control = (appId: string, channel: string, payload: ControlPayload): OutboxEvent => ({
  appId,
  channel,
  type: `${CONTROL_PREFIX}${payload.action}`,
  payload,
})

/** Ends the user's subscriptions to a chat channel on every node. */
export const unsubscribeControl = (appId: string, userId: string, channelId: string): OutboxEvent =>
  control(appId, userChannelName(appId, userId), {
    action: 'unsubscribe',
    userId,
    channel: chatChannelName(appId, channelId),
  })

/** Closes every connection of the user on every node. */
export const disconnectControl = (appId: string, userId: string, cause: DisconnectCause): OutboxEvent =>
  control(appId, userChannelName(appId, userId), { action: 'disconnect', userId, cause })

/** Drops a realtime channel's history (erased or deleted content must not be recoverable). */
export const historyRemoveControl = (appId: string, channel: string): OutboxEvent =>
  control(appId, channel, { action: 'history_remove', channel })
