import * as bridge from '../client-bridge.js'
import { useStoreSlice } from './use-store.js'

/** Unread messages in one channel, or in all your channels without an id. */
export function useUnreadCount(channelId?: string): number {
  return useStoreSlice((c) => bridge.unreadCount(c, channelId), [channelId])
}
