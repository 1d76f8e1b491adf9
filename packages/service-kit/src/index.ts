// The kit's core concerns; every concern is also importable on its own as
// `@platform/service-kit/<concern>` (cache, queue, ratelimit, auth, sessions, audit, privacy only so).
export * from './config/index.js'
export * from './db/index.js'
export * from './health/index.js'
export * from './http/index.js'
export * from './logging/index.js'
export * from './metrics/index.js'
