import type { Cache } from '@platform/service-kit/cache'
import type { Kysely } from 'kysely'
import type { ChatConfig } from '../config.js'
import type { FileStorage } from '../uploads/storage.js'
import type { ChatDatabase } from './database.js'
import type { ChatMetrics } from './metrics.js'

/** What domain functions need; built once per app in buildChatApp. */
export interface ChatContext {
  db: Kysely<ChatDatabase>
  config: ChatConfig
  cache: Cache
  metrics: ChatMetrics
  storage: FileStorage
  /**
   * Set by the realtime plugin when a Centrifugo cluster replaces the built-in gateway: connection
   * tokens are then signed for Centrifugo (one shared secret) instead of with the app's key.
   */
  connectionTokenSigner?: (appId: string, userId: string) => Promise<string>
}
