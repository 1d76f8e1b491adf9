export { parseSessionKeys, SessionCipher, type SessionKey } from './cipher.js'
export { type DeviceInfo, deviceFingerprint, parseDevice } from './device.js'
export { createSessionStore, type SessionStoreOptions } from './factory.js'
export { ipNetwork } from './ip-network.js'
export {
  type ClientInfo,
  type Session,
  SessionManager,
  type SessionManagerOptions,
  SessionRevokedError,
} from './manager.js'
export { MemorySessionStore } from './memory-store.js'
export { RedisSessionStore, type RedisSessionStoreOptions } from './redis-store.js'
export {
  type RevocationPolicy,
  SuspiciousActivity,
  type SuspiciousEvent,
  type SuspiciousSignal,
} from './signals.js'
export type { SessionStore } from './store.js'
