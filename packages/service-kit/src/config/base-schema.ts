import { type Static, Type } from '@sinclair/typebox'
import {
  DEFAULT_TRACE_SAMPLE_RATIO,
  DEFAULT_TRACE_SAMPLER,
  TRACE_SAMPLERS,
} from '../tracing/sampler-names.js'
import { secret } from './secret.js'

/** Variables every service reads; products spread `baseConfigSchema.properties` into their own schema. */
export const baseConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
    default: 'development',
    description: '`production` turns on the secret checks.',
  }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info', description: 'pino log level.' },
  ),
  LOG_FILE: Type.Optional(
    Type.String({
      description:
        'Write logs to this file instead of standard output, in 64 KiB chunks flushed every second and at exit.',
    }),
  ),
  HOST: Type.String({ default: '127.0.0.1', description: 'Interface the HTTP server listens on.' }),
  DATA_DIR: Type.String({ default: '.data', description: 'Embedded mode: PGlite data and uploads.' }),
  DATABASE_URL: Type.Optional(
    Type.String({ description: 'PostgreSQL URL; without it the embedded PGlite is used.' }),
  ),
  REDIS_URL: Type.Optional(Type.String({ description: 'Redis URL; without it in-memory drivers are used.' })),
  AMQP_URL: Type.Optional(
    Type.String({ description: 'RabbitMQ URL; without it the in-process queue is used.' }),
  ),
  CORS_ORIGINS: Type.Array(Type.String(), {
    default: [],
    description: 'Comma-separated origins allowed by CORS; empty allows none.',
  }),
  TRUST_PROXY: Type.Boolean({ default: false, description: 'Trust X-Forwarded-* headers (behind nginx).' }),
  BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1, description: 'Largest request body.' }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({
    default: 15_000,
    minimum: 0,
    description: 'Drain window for in-flight requests on SIGTERM/SIGINT.',
  }),
  METRICS_TOKEN: Type.Optional(
    secret(Type.String({ description: 'When set, `/metrics` requires `Authorization: Bearer <token>`.' })),
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(
    Type.String({ description: 'OTLP/HTTP endpoint (e.g. http://collector:4318); enables trace export.' }),
  ),
  OTEL_EXPORTER_OTLP_HEADERS: Type.Optional(
    secret(
      Type.String({
        description: 'Headers for the OTLP exporter, `key=value` comma-separated (vendor API keys).',
      }),
    ),
  ),
  OTEL_TRACES_SAMPLER: Type.Union(
    TRACE_SAMPLERS.map((name) => Type.Literal(name)),
    {
      default: DEFAULT_TRACE_SAMPLER,
      description: 'Trace sampler (OpenTelemetry names); a sampled incoming `traceparent` is always kept.',
    },
  ),
  OTEL_TRACES_SAMPLER_ARG: Type.Number({
    default: DEFAULT_TRACE_SAMPLE_RATIO,
    minimum: 0,
    maximum: 1,
    description: 'Share of new traces kept by the ratio samplers; `1` traces every request.',
  }),
  SLOW_DB_MS: Type.Integer({
    default: 500,
    minimum: 0,
    description: 'Database calls slower than this log a warning.',
  }),
  SLOW_REQUEST_MS: Type.Integer({
    default: 1000,
    minimum: 0,
    description: 'Requests slower than this log a warning.',
  }),
  SLOW_EXTERNAL_MS: Type.Integer({
    default: 2000,
    minimum: 0,
    description: 'Outgoing HTTP calls slower than this log a warning.',
  }),
  ELASTICSEARCH_URL: Type.Optional(
    Type.String({ description: 'When set, logs are also shipped to Elasticsearch via `_bulk`.' }),
  ),
  ELASTICSEARCH_API_KEY: Type.Optional(secret(Type.String({ description: 'API key for log shipping.' }))),
})

export type BaseConfig = Static<typeof baseConfigSchema>
