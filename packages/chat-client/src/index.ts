/** @chatsdk/client: the public surface. */
export { ChatApi } from './api.js'
export { type ChatTokens, TokenManager, type TokenProvider } from './auth/tokens.js'
export { ChatClient, type ChatClientOptions } from './client.js'
export type { BackoffOptions } from './http/backoff.js'
export { backoffDelay } from './http/backoff.js'
export { ChatError, type FieldError, isChatError } from './http/errors.js'
export type { CallOptions, OperationInput, OperationKey, RetryOptions } from './http/transport.js'
export type { UploadOptions } from './http/upload.js'
export { IndexedDbPendingStorage } from './offline/indexeddb.js'
export { OfflineQueue } from './offline/queue.js'
export { MemoryPendingStorage, type PendingStorage } from './offline/storage.js'
export type { ConnectionState } from './realtime/connection-state.js'
export type {
  ChannelPaging,
  ChannelState,
  ChatEvent,
  ChatEventPayloads,
  ChatEventType,
  ClientEvents,
  LoadKind,
  PendingMessage,
  PresenceEntry,
  TypingUser,
} from './store/events.js'
export { ChatStore, TYPING_TTL_MS } from './store/store.js'
export type * from './types.js'
