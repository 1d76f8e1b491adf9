import { Counter, Gauge, type Registry } from 'prom-client'
import type { Indexer } from './indexer.js'

/** Indexer progress on the app's registry: cursor, head, lag, events and reorgs. */
export function registerIndexerMetrics(registry: Registry, indexer: Indexer): void {
  new Gauge({
    name: 'dex_indexer_block',
    help: 'Last block written by the indexer',
    registers: [registry],
    collect() {
      this.set(indexer.status().block ?? -1)
    },
  })
  new Gauge({
    name: 'dex_indexer_lag_blocks',
    help: 'Blocks between the chain head and the indexer cursor',
    registers: [registry],
    collect() {
      this.set(indexer.status().lag)
    },
  })
  const events = new Counter({
    name: 'dex_indexer_events_total',
    help: 'Chain events indexed',
    registers: [registry],
  })
  const reorgs = new Counter({
    name: 'dex_indexer_reorgs_total',
    help: 'Reorgs rolled back',
    registers: [registry],
  })
  indexer.on('batch', (batch) => events.inc(batch.eventCount))
  indexer.on('reorg', () => reorgs.inc())
}
