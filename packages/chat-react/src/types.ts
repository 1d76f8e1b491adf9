/**
 * The shapes the components render: @chatsdk/client's (so the server's OpenAPI) message, plus
 * its local delivery state from the client's offline queue.
 */
import type { Attachment, Message } from '@chatsdk/client'

export type { Attachment }

export type DeliveryState = 'sent' | 'pending' | 'failed'

export type MessageView = Message & {
  /** 'pending' while queued or in flight, 'failed' when the server refused it. */
  delivery: DeliveryState
}
