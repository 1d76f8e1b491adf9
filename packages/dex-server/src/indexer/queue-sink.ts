import type { JobQueue } from '@platform/service-kit/queue'
import type { DexEvent, DexEventSink } from './publish.js'

/** Exchange the indexer publishes on; routing keys are `<type>.<chainId>` (e.g. `swap.31337`). */
export const DEX_EVENTS_EXCHANGE = 'dex.events'

/** Publishes normalized events as topic events on the kit queue (RabbitMQ in production). */
export function queueSink(queue: JobQueue, exchange = DEX_EVENTS_EXCHANGE): DexEventSink {
  return {
    async publish(events: DexEvent[]) {
      for (const event of events) {
        await queue.publishEvent(exchange, `${event.type}.${event.chainId}`, event)
      }
    },
  }
}
