import { useCallback, useEffect } from 'react'
import * as bridge from '../client-bridge.js'
import type { MessageView } from '../types.js'
import { useChatClient } from './use-chat-client.js'
import { useStoreSlice } from './use-store.js'

export interface SendInput {
  text: string
  mentions?: string[]
  attachments?: { uploadId: string }[]
  custom?: Record<string, unknown>
}

/**
 * A channel's messages (or a thread's replies with `parentId`) from the client's store, oldest
 * first, with paging both ways: `loadOlder` when the reader scrolls up, `loadNewer` after a jump
 * into the past, `jumpToLatest` back to the live end. Sending goes through the client's offline
 * queue: the message shows at once as pending, and failed sends can be retried or discarded.
 */
export function useMessages(channelId: string, options: { parentId?: string | undefined } = {}) {
  const client = useChatClient()
  const { parentId } = options
  const page = useStoreSlice((c) => bridge.messageWindow(c, channelId), [channelId])

  useEffect(() => {
    if (!parentId) bridge.watchChannel(client, channelId)
  }, [client, channelId, parentId])

  const loadOlder = useCallback(() => bridge.loadOlder(client, channelId), [client, channelId])
  const loadNewer = useCallback(() => bridge.loadNewer(client, channelId), [client, channelId])
  const jumpToLatest = useCallback(() => bridge.jumpToLatest(client, channelId), [client, channelId])
  const reload = useCallback(() => bridge.reloadChannel(client, channelId), [client, channelId])
  const markRead = useCallback(() => bridge.markRead(client, channelId), [client, channelId])
  const failed = page.failed
  /** Tries again the load that failed (`failed`: older or newer pages, the latest, what was missed). */
  const retryLoad = useCallback(
    () => bridge.retryLoad(client, channelId, failed),
    [client, channelId, failed],
  )
  const dismissError = useCallback(() => bridge.dismissLoadError(client, channelId), [client, channelId])
  const send = useCallback(
    (input: SendInput) =>
      bridge.sendMessage(client, channelId, { ...input, ...(parentId ? { parentId } : {}) }),
    [client, channelId, parentId],
  )
  const edit = useCallback(
    (messageId: string, text: string) => bridge.editMessage(client, messageId, text),
    [client],
  )
  const retry = useCallback((message: MessageView) => bridge.retrySend(client, message), [client])
  const discard = useCallback((message: MessageView) => bridge.discardSend(client, message), [client])

  /** Your newest message here that the server has, for Up-to-edit. */
  const lastOwnMessage = useCallback((): MessageView | undefined => {
    const list = parentId
      ? bridge.thread(client, parentId).replies
      : bridge.messageWindow(client, channelId).messages
    for (let index = list.length - 1; index >= 0; index--) {
      const message = list[index]!
      if (message.userId === client.userId && message.delivery === 'sent' && message.deletedAt === null)
        return message
    }
    return undefined
  }, [client, channelId, parentId])

  return {
    ...page,
    loadOlder,
    loadNewer,
    jumpToLatest,
    reload,
    retryLoad,
    dismissError,
    markRead,
    send,
    edit,
    retry,
    discard,
    lastOwnMessage,
  }
}
