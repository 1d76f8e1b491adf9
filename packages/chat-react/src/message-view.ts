import type { Message } from './session/wire.js'
import type { DeliveryState, MessageView } from './types.js'

/** A server message as the components render it. */
export function toMessageView(message: Message, delivery: DeliveryState = 'sent'): MessageView {
  return { ...message, delivery } as MessageView
}
