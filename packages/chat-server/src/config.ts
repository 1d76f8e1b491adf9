import { randomBytes } from 'node:crypto'
import { baseConfigSchema, loadConfig, secret } from '@platform/service-kit/config'
import { type Static, Type } from '@sinclair/typebox'

const MB = 1024 * 1024
/** Hard ceiling for any upload, whatever the per-type limits say. */
export const UPLOAD_CEILING_BYTES = 100 * MB

export const chatConfigSchema = Type.Object({
  ...baseConfigSchema.properties,
  PORT: Type.Integer({ default: 5500, minimum: 0, maximum: 65535 }),
  CHAT_PORT: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 65535,
      description: 'ChatSDK port; wins over PORT. `npm start` (both products) reads this, not PORT.',
    }),
  ),
  /** Public base URL used in signed file links; defaults to the listening address. */
  PUBLIC_URL: Type.Optional(Type.String()),
  /** Bearer key of the admin API. Embedded mode generates one when unset. */
  ADMIN_API_KEY: Type.Optional(secret(Type.String({ minLength: 16 }))),
  /** Signs local-disk file URLs. Embedded mode generates one when unset. */
  FILE_URL_SECRET: Type.Optional(secret(Type.String({ minLength: 16 }))),

  CENTRIFUGO_TOKEN_HMAC_SECRET: Type.Optional(
    secret(
      Type.String({
        minLength: 32,
        description:
          "With CENTRIFUGO_API_URL: signs connection tokens (HS256); Centrifugo's `token_hmac_secret_key`.",
      }),
    ),
  ),
  CENTRIFUGO_PROXY_KEY: Type.Optional(
    secret(
      Type.String({
        minLength: 16,
        description:
          'With CENTRIFUGO_API_URL: the `X-Centrifugo-Proxy-Key` Centrifugo sends to the subscribe proxy.',
      }),
    ),
  ),

  MESSAGE_MAX_LENGTH: Type.Integer({ default: 10_000, minimum: 1 }),
  /**
   * Group-commit lanes for message sends (PostgreSQL); each holds one connection of its own. Two
   * overlap one batch's commit with the next batch's work; more lanes make smaller batches (more
   * statements, more commits) and measured slower on 2 cores (bench/chat-send.ts).
   */
  MESSAGE_WRITER_LANES: Type.Integer({ default: 2, minimum: 1, maximum: 32 }),
  /** Connections for everything else. */
  DATABASE_POOL_SIZE: Type.Integer({ default: 16, minimum: 1, maximum: 200 }),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ default: 900, minimum: 10 }),
  REFRESH_TOKEN_TTL_SECONDS: Type.Integer({ default: 30 * 24 * 3600, minimum: 60 }),
  CONNECTION_TOKEN_TTL_SECONDS: Type.Integer({ default: 900, minimum: 10 }),
  SIGNED_URL_TTL_SECONDS: Type.Integer({ default: 300, minimum: 5, maximum: 3600 }),

  UPLOAD_ALLOWED_TYPES: Type.String({
    default:
      'image/jpeg,image/png,image/gif,image/webp,video/mp4,video/webm,audio/mpeg,audio/ogg,application/pdf,text/plain',
  }),
  UPLOAD_IMAGE_MAX_BYTES: Type.Integer({ default: 20 * MB, minimum: 1, maximum: UPLOAD_CEILING_BYTES }),
  UPLOAD_VIDEO_MAX_BYTES: Type.Integer({ default: 100 * MB, minimum: 1, maximum: UPLOAD_CEILING_BYTES }),
  UPLOAD_AUDIO_MAX_BYTES: Type.Integer({ default: 50 * MB, minimum: 1, maximum: UPLOAD_CEILING_BYTES }),
  UPLOAD_FILE_MAX_BYTES: Type.Integer({ default: 50 * MB, minimum: 1, maximum: UPLOAD_CEILING_BYTES }),
  /** Local-disk upload root; empty = <DATA_DIR>/uploads. */
  UPLOAD_DIR: Type.String({ default: '' }),
  S3_ENDPOINT: Type.Optional(Type.String()),
  S3_REGION: Type.String({ default: 'us-east-1' }),
  S3_BUCKET: Type.Optional(Type.String()),
  S3_ACCESS_KEY_ID: Type.Optional(Type.String()),
  S3_SECRET_ACCESS_KEY: Type.Optional(secret(Type.String())),
  S3_FORCE_PATH_STYLE: Type.Boolean({ default: true }),

  WEBHOOK_RETRY_BASE_MS: Type.Integer({ default: 10_000, minimum: 1 }),
  WEBHOOK_MAX_AGE_MS: Type.Integer({ default: 24 * 3600 * 1000, minimum: 1 }),
  WEBHOOK_DISABLE_AFTER_FAILURES: Type.Integer({ default: 50, minimum: 1 }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100 }),
  WEBHOOK_POLL_MS: Type.Integer({ default: 1000, minimum: 10 }),
  AUDIT_RETENTION_DAYS: Type.Integer({
    default: 400,
    minimum: 0,
    description: 'Audit log entries older than this are purged by the retention job (0 keeps them forever).',
  }),
  WEBHOOK_ALLOW_HTTP: Type.Optional(
    Type.Boolean({
      description: 'Allow plain-http webhook URLs. Default: only when NODE_ENV=development; https otherwise.',
    }),
  ),
  WEBHOOK_ALLOWED_CIDRS: Type.String({
    default: '',
    description:
      'Comma-separated CIDRs webhooks may reach although private/loopback (e.g. 127.0.0.1/32 for a local receiver). Empty: none.',
  }),
  RETENTION_SWEEP_MS: Type.Integer({ default: 3600 * 1000, minimum: 1000 }),
  RATE_LIMIT_ENABLED: Type.Boolean({
    default: true,
    description: 'Token-bucket limits on /v1 routes (Redis when REDIS_URL is set, else per process).',
  }),
  RATE_LIMIT_IP_PER_MINUTE: Type.Integer({
    default: 600,
    minimum: 1,
    description:
      'Per client IP, on routes without credentials (token refresh, signed file URLs) and admin routes.',
  }),
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: Type.Integer({
    default: 60,
    minimum: 1,
    description:
      'Failed authentications (bad key or token; not expired tokens) per client IP per process; then 429 until the budget refills.',
  }),
  RATE_LIMIT_API_KEY_PER_MINUTE: Type.Integer({
    default: 6000,
    minimum: 1,
    description: 'Per API key, on backend (X-API-Key) routes.',
  }),
  RATE_LIMIT_USER_PER_MINUTE: Type.Integer({
    default: 1200,
    minimum: 1,
    description: 'Per user, on user-token routes.',
  }),
  RATE_LIMIT_USER_SENDS_PER_MINUTE: Type.Integer({
    default: 600,
    minimum: 1,
    description: 'Per user, message sends (on top of the per-user limit); the burst is the full minute.',
  }),
  /** Words the optional per-app profanity filter looks for (comma separated). */
  PROFANITY_WORDS: Type.String({ default: 'damn,shit,fuck,bitch,asshole,bastard' }),
})

export type ChatConfig = Static<typeof chatConfigSchema> & { ADMIN_API_KEY: string; FILE_URL_SECRET: string }

export interface LoadedChatConfig {
  config: ChatConfig
  /** True when ADMIN_API_KEY was generated here (embedded mode prints it at start). */
  generatedAdminKey: boolean
}

/**
 * Reads the environment once. Production refuses missing secrets (the kit's loadConfig does that);
 * embedded mode generates the admin key and file-URL secret so `npm start` needs nothing set.
 */
export function loadChatConfig(env: NodeJS.ProcessEnv = process.env): LoadedChatConfig {
  const raw = loadConfig(chatConfigSchema, env)
  const generatedAdminKey = !raw.ADMIN_API_KEY
  if (raw.NODE_ENV === 'production' && (generatedAdminKey || !raw.FILE_URL_SECRET)) {
    throw new Error('ADMIN_API_KEY and FILE_URL_SECRET must be set when NODE_ENV=production')
  }
  return {
    config: {
      ...raw,
      ADMIN_API_KEY: raw.ADMIN_API_KEY ?? `adm_${randomBytes(24).toString('base64url')}`,
      FILE_URL_SECRET: raw.FILE_URL_SECRET ?? randomBytes(32).toString('base64url'),
      UPLOAD_DIR: raw.UPLOAD_DIR || `${raw.DATA_DIR}/uploads`,
    },
    generatedAdminKey,
  }
}
