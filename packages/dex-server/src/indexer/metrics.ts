import { Counter, Gauge, type Registry } from 'prom-client'
import type { Indexer } from './indexer.js'

/** Indexer progress on the app's registry: cursor, head, lag, events and reorgs. */
export function registerIndexerMetrics(registry: Registry, indexer: Indexer): void {
  new Gauge({
    name: 'dex_indexer_block',
    help: 'Last block written by the indexer (a follower: the stored cursor it last loaded)',
    registers: [registry],
    collect() {
      this.set(indexer.status().block ?? -1)
    },
  })
  new Gauge({
    name: 'dex_indexer_leader',
    help: '1 while this process writes the index (DEX_INDEXER and the lease), 0 while it follows',
    registers: [registry],
    collect() {
      this.set(indexer.indexing ? 1 : 0)
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
    help: 'Reorgs rolled back (by this process)',
    registers: [registry],
  })
  // Counted where they happen: followers see the same events and reorgs through the database.
  indexer.on('batch', (batch) => events.inc(batch.eventCount))
  indexer.on('reorg', () => {
    if (indexer.indexing) reorgs.inc()
  })
}
