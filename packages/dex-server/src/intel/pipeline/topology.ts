import { DEX_EVENTS_EXCHANGE } from '../../indexer/queue-sink.js'
import { PIPELINE_QUEUE } from './consumer.js'

/**
 * The exchange the outbox relay publishes to and the queue the pipeline consumes, for the
 * deployment whose database schema is `schema`. Two DEX processes on one broker but on different
 * schemas (a bench beside a dev server, per-test schemas) would otherwise share one queue and
 * apply each other's events, which their own database has never heard of (`unknown_pool`); the
 * default schema keeps the plain names production uses.
 */
export function pipelineTopology(schema: string): { exchange: string; queueName: string } {
  const suffix = schema === 'public' ? '' : `.${schema}`
  return { exchange: `${DEX_EVENTS_EXCHANGE}${suffix}`, queueName: `${PIPELINE_QUEUE}${suffix}` }
}
