/**
 * Carries out the outbox's control events (shared/realtime-control.ts) through a Publisher: the
 * built-in gateway's broker (every node hears it) or Centrifugo's server API (`unsubscribe`,
 * `disconnect`, `history_remove`). The relay runs them in outbox order with the publications.
 */
import type { ControlPayload } from '../shared/realtime-control.js'
import { connectionUser } from './channels.js'
import { Disconnects } from './codes.js'
import type { Publisher } from './publisher.js'

/** Revoked tokens reconnect (a client with a valid session gets a new token); banned users do not. */
const DISCONNECT_BY_CAUSE = {
  tokens_revoked: { code: Disconnects.forceReconnect.code, reason: 'token revoked' },
  erased: { code: Disconnects.forceNoReconnect.code, reason: 'user erased' },
  banned: { code: Disconnects.forceNoReconnect.code, reason: 'banned' },
} as const

export async function applyControl(publisher: Publisher, appId: string, payload: unknown): Promise<void> {
  const control = payload as ControlPayload
  switch (control.action) {
    case 'unsubscribe':
      return publisher.unsubscribe(connectionUser(appId, control.userId), control.channel)
    case 'disconnect':
      return publisher.disconnect(connectionUser(appId, control.userId), DISCONNECT_BY_CAUSE[control.cause])
    case 'history_remove':
      return publisher.removeHistory(control.channel)
  }
}
