import { EventEmitter } from 'node:events'
import type { Kysely } from 'kysely'
import type { Address } from 'viem'
import { type Eip1193, getBlockHeader, getBlockNumber } from '../chain/rpc.js'
import type { DexDatabase } from '../db/schema.js'
import type { PoolRegistry } from '../market/pool-registry.js'
import { buildBatch, type IndexBatch } from './batch.js'
import { snapshotFactory } from './bootstrap.js'
import { type FetchedRange, fetchBlocks, fetchHeaders, fetchRange, InconsistentFetchError } from './fetch.js'
import type { IndexerLease } from './lease.js'
import { type DexEventSink, normalizeBatch } from './publish.js'
import {
  type Cursor,
  type CursorKey,
  CursorMovedError,
  loadCursor,
  rollbackTo,
  storedBlocks,
  writeBatch,
  writeSnapshot,
} from './store.js'
import { readTokenMetadata, type TokenMetadata } from './token-metadata.js'

export interface IndexerLogger {
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

export interface IndexerOptions {
  db: Kysely<DexDatabase>
  rpc: Eip1193
  graph: PoolRegistry
  chainId: number
  factory: string
  startBlock?: number
  /** Blocks per eth_getLogs range. */
  batchBlocks?: number
  /**
   * The newest blocks, this many, are read one by one by block hash instead of by range (default
   * 16): log nodes behind a load balancer may lag the head by a few blocks, and by-hash queries
   * make a lagging one fail instead of answering "no logs". Deeper blocks are read by range.
   */
  headBlocks?: number
  pollMs?: number
  logger?: IndexerLogger
  sink?: DexEventSink
  /** Progress lines during a backfill, at most this often. */
  progressEveryMs?: number
  /**
   * Who writes the index. `always` (default): this instance does. `lease`: it does while it holds
   * `lease` and follows the stored index otherwise, taking over when the holder stops or dies.
   * `never`: it only follows. A follower reads the stored cursor every `followMs` and reloads the
   * pool graph from the database when it moved (see `followStored`).
   */
  mode?: 'always' | 'lease' | 'never'
  lease?: IndexerLease
  /** How often a follower reads the stored cursor and the chain head (default 500 ms). */
  followMs?: number
}

export interface IndexerProgress {
  block: number
  head: number
  events: number
  eventsPerSecond: number
}

export interface IndexerEvents {
  /** A range this instance wrote (only the instance that indexes emits it). */
  batch: [IndexBatch]
  /** The index was rolled back to `fork`; a follower emits it when it sees the stored cursor fork. */
  reorg: [{ fork: number | null; from: number }]
  /**
   * The index now covers blocks up to `to`; everything above `from` is new to this instance. Both
   * the writer (after each batch) and a follower (after it reloaded the stored index) emit it.
   */
  advance: [{ from: number | null; to: number }]
  /** This instance started (true) or stopped (false) writing the index. */
  role: [boolean]
  progress: [IndexerProgress]
}

const FOLLOW_MS = 500
/** Stored cursors a follower remembers, to find how far a rollback it saw went. */
const OBSERVED_CURSORS = 64

const TOKEN_CONCURRENCY = 8
const MAX_BACKOFF_MS = 30_000

/** Providers word their eth_getLogs caps differently; these are the words they use. */
const RANGE_CAP =
  /range|too (many|large|big)|limit|exceed|max(imum)? (block|result)|more than|10000|response size/i
const looksLikeRangeCap = (error: unknown) => RANGE_CAP.test(String((error as Error)?.message ?? error))
const FORK_PAGE = 32

/** The id of one indexed deployment: its cursor row and its lease row. */
export const indexId = (chainId: number, factory: string) => `${chainId}:${factory.toLowerCase()}`

/**
 * Follows a Uniswap-v2 factory on one chain: reads ranges of logs, writes them in block order in
 * one transaction per range with the cursor, and rolls back to the fork point when the chain
 * under the cursor changed. Restart-safe: everything resumes from the stored cursor.
 */
export class Indexer extends EventEmitter<IndexerEvents> {
  private cursor: Cursor | null = null
  private readonly key: CursorKey
  private running = false
  private loop: Promise<void> | null = null
  private wake: (() => void) | null = null
  private eventsTotal = 0
  private lastHead = 0
  private prefetched: { from: number; to: number; range: Promise<FetchedRange> } | null = null
  /** Blocks per eth_getLogs range: batchBlocks, halved while the provider refuses a range. */
  private rangeBlocks: number
  private leading = false
  private renewedAt = 0
  /** Follower: the stored cursors seen, oldest first (their hashes tell a later rollback apart). */
  private observed: Cursor[] = []

  constructor(private readonly options: IndexerOptions) {
    super()
    this.rangeBlocks = options.batchBlocks ?? 500
    this.key = {
      id: indexId(options.chainId, options.factory),
      chainId: options.chainId,
      factory: options.factory.toLowerCase(),
    }
  }

  get indexedBlock(): number | null {
    return this.cursor?.blockNumber ?? null
  }

  /** True while this instance writes the index (always in `always` mode; the lease holder in `lease`). */
  get indexing(): boolean {
    const mode = this.options.mode ?? 'always'
    return mode === 'always' || (mode === 'lease' && this.leading)
  }

  status() {
    return {
      chainId: this.key.chainId,
      factory: this.key.factory,
      block: this.cursor?.blockNumber ?? null,
      head: this.lastHead,
      lag: this.cursor ? Math.max(0, this.lastHead - this.cursor.blockNumber) : this.lastHead,
      events: this.eventsTotal,
      indexing: this.indexing,
    }
  }

  /** Loads the cursor and the in-memory pool graph. */
  async init(): Promise<void> {
    this.cursor = await loadCursor(this.options.db, this.key)
    await this.options.graph.load(this.options.db)
  }

  private async reload(): Promise<void> {
    this.cursor = await loadCursor(this.options.db, this.key)
    await this.options.graph.load(this.options.db)
  }

  /** Indexes until the cursor reaches the head seen at the call (a backfill). */
  async syncToHead(): Promise<number> {
    let head = await getBlockNumber(this.options.rpc)
    const started = performance.now()
    let lastReport = started
    let events = 0
    const startBlock = this.cursor?.blockNumber ?? (this.options.startBlock ?? 0) - 1
    while (true) {
      // A backfill can outlast the lease: renew it between ranges, and stop when it was lost.
      if (!(await this.claim())) break
      const step = await this.step(head)
      if (step === 'idle') break
      if (step === 'reorg') {
        head = await getBlockNumber(this.options.rpc)
        continue
      }
      events += step
      const now = performance.now()
      if (
        now - lastReport >= (this.options.progressEveryMs ?? 5000) ||
        (this.cursor?.blockNumber ?? 0) >= head
      ) {
        lastReport = now
        const progress = {
          block: this.cursor?.blockNumber ?? startBlock,
          head,
          events,
          eventsPerSecond: Math.round(events / ((now - started) / 1000)),
        }
        this.emit('progress', progress)
        if (head - startBlock > 1) this.options.logger?.info(progress, 'indexer: backfill progress')
      }
    }
    return head
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.loop = this.follow()
  }

  async stop(): Promise<void> {
    this.running = false
    this.wake?.()
    await this.loop
    if (this.leading) {
      // Hand over now: another process takes the lease at its next poll instead of after the TTL.
      await this.options.lease?.release().catch(() => undefined)
      this.setLeading(false)
    }
  }

  /**
   * Whether this instance should write the index now: in `lease` mode it takes or renews the lease
   * (renewing every third of its TTL). Call it before indexing outside the follow loop (the
   * embedded chain is indexed to the head before the server listens).
   */
  async claim(): Promise<boolean> {
    const mode = this.options.mode ?? 'always'
    if (mode !== 'lease') return mode === 'always'
    const lease = this.options.lease
    if (!lease) throw new Error("indexer mode 'lease' needs a lease")
    const now = performance.now()
    if (this.leading && now - this.renewedAt < lease.ttlMs / 3) return true
    let held: boolean
    try {
      held = await lease.acquire()
    } catch (error) {
      // The database is unreachable: once the lease surely expired, someone else may hold it.
      if (this.leading && now - this.renewedAt >= lease.ttlMs) this.setLeading(false)
      throw error
    }
    if (held) this.renewedAt = now
    if (held && !this.leading) {
      // A follower's view is the stored one already; reload anyway, the writer may have moved on.
      this.prefetched = null
      await this.reload()
    }
    this.setLeading(held)
    return held
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return
    this.leading = leading
    this.prefetched = null
    this.observed = []
    this.options.logger?.info(
      { holder: this.options.lease?.holder, block: this.cursor?.blockNumber ?? null },
      leading ? 'indexer: took the lease, indexing' : 'indexer: lease lost, following the stored index',
    )
    this.emit('role', leading)
  }

  /**
   * A follower's step: reads the chain head and the stored cursor; when the cursor moved, reloads
   * the pools updated since (all of them after a rollback) from the database in the same snapshot
   * (repeatable read), so the graph and the block it reports agree. A stored cursor whose earlier positions no longer match the stored
   * block hashes means the writer rolled back: `reorg` is emitted with the newest position still
   * intact as the fork (at or below the real one, so consumers that roll back to it are safe).
   */
  private async followStored(): Promise<void> {
    const head = await getBlockNumber(this.options.rpc)
    this.lastHead = Math.max(this.lastHead, head)
    const previous = this.cursor
    const observed = this.observed.length > 0 ? this.observed : previous ? [previous] : []
    const seen = await this.options.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const cursor = await loadCursor(trx, this.key)
        if (cursor?.blockNumber === previous?.blockNumber && cursor?.blockHash === previous?.blockHash)
          return null
        const rows =
          observed.length === 0
            ? []
            : await trx
                .selectFrom('blocks')
                .select(['number', 'hash'])
                .where(
                  'number',
                  'in',
                  observed.map((c) => c.blockNumber),
                )
                .execute()
        const stored = new Map(rows.map((b) => [Number(b.number), b.hash]))
        const intact = observed.filter((c) => stored.get(c.blockNumber) === c.blockHash)
        const rolledBack = previous !== null && intact.at(-1) !== observed.at(-1)
        // Still on the block it read last: the index only grew, and the pools updated since then
        // are all that changed. After a rollback pools and tokens may be gone: read them all.
        if (previous && !rolledBack) await this.options.graph.loadUpdated(trx, previous.blockNumber)
        else await this.options.graph.load(trx)
        return { cursor, intact, rolledBack }
      })
    if (seen === null) return
    const { cursor, intact } = seen
    this.cursor = cursor
    let from = previous?.blockNumber ?? null
    if (previous && seen.rolledBack) {
      const fork = intact.at(-1)?.blockNumber ?? null
      this.options.logger?.warn({ from: previous.blockNumber, fork }, 'indexer: the stored index rolled back')
      this.emit('reorg', { fork, from: previous.blockNumber })
      from = fork
    }
    this.observed = cursor ? [...intact, cursor].slice(-OBSERVED_CURSORS) : intact
    if (cursor) this.emit('advance', { from, to: cursor.blockNumber })
  }

  /** Wakes the follow loop now (the embedded chain calls it after mining a block). */
  poke(): void {
    this.wake?.()
  }

  /** Resolves once the cursor has reached `block`. */
  async waitForBlock(block: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while ((this.cursor?.blockNumber ?? -1) < block) {
      if (Date.now() > deadline)
        throw new Error(`indexer did not reach block ${block} (at ${this.cursor?.blockNumber})`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  private async follow(): Promise<void> {
    const pollMs = this.options.pollMs ?? 250
    let failures = 0
    while (this.running) {
      let delay = pollMs
      const startedAt = this.cursor?.blockNumber
      try {
        if (await this.claim()) {
          await this.syncToHead()
        } else {
          delay = this.options.followMs ?? FOLLOW_MS
          await this.followStored()
        }
        failures = 0
      } catch (error) {
        if (this.cursor?.blockNumber !== startedAt) failures = 0 // it made progress before failing
        this.prefetched = null
        if (error instanceof CursorMovedError || error instanceof InconsistentFetchError) {
          this.options.logger?.warn({ err: error }, 'indexer: retrying range')
          await this.reload().catch(() => undefined)
        } else if (looksLikeRangeCap(error)) {
          this.options.logger?.warn(
            { err: error, rangeBlocks: this.rangeBlocks },
            'indexer: provider capped eth_getLogs, narrowing the range',
          )
        } else {
          // The RPC or the database is failing: back off (up to 30 s) instead of hammering it.
          failures++
          delay = Math.min(pollMs * 2 ** failures, MAX_BACKOFF_MS)
          this.options.logger?.error(
            {
              err: error,
              failures,
              retryInMs: delay,
              block: this.cursor?.blockNumber ?? null,
              head: this.lastHead,
            },
            'indexer: step failed, retrying with backoff',
          )
        }
      }
      if (!this.running) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wake = null
    }
  }

  /** One range: 'idle' when at head (and the cursor's block is still canonical), else events written. */
  private async step(head: number): Promise<number | 'idle' | 'reorg'> {
    this.lastHead = Math.max(this.lastHead, head)
    const cursor = this.cursor
    const from = cursor ? cursor.blockNumber + 1 : (this.options.startBlock ?? 0)
    if (cursor === null && from > 0 && from - 1 <= head) {
      await this.bootstrap(from - 1)
      return 0
    }
    if (from > head) {
      if (cursor === null) return 'idle'
      const current = await getBlockHeader(this.options.rpc, cursor.blockNumber)
      if (current?.hash.toLowerCase() === cursor.blockHash) return 'idle'
      await this.handleReorg()
      return 'reorg'
    }
    const { graph } = this.options
    const prefetched = this.prefetched?.from === from ? this.prefetched : null
    this.prefetched = null
    const fetching =
      prefetched ??
      this.fetch(
        graph.pools().map((p) => p.address),
        from,
        head,
      )
    const { to } = fetching
    let range: FetchedRange
    try {
      range = await fetching.range
    } catch (error) {
      // Providers cap eth_getLogs (block span, result count): retry with half the span. Other
      // failures (a node down, a timeout) keep the span; the follow loop backs off instead.
      if (!(error instanceof InconsistentFetchError) && to > from && looksLikeRangeCap(error))
        this.rangeBlocks = Math.max(1, Math.floor((to - from + 1) / 2))
      throw error
    }
    this.rangeBlocks = Math.min(this.options.batchBlocks ?? 500, this.rangeBlocks * 2)
    if (cursor && range.headers.get(from)?.parentHash !== cursor.blockHash) {
      await this.handleReorg()
      return 'reorg'
    }
    if (range.malformed > 0) {
      this.options.logger?.warn(
        { from, to, malformed: range.malformed },
        'indexer: skipped malformed pair logs',
      )
    }
    const tokens = await this.readNewTokens(range.pairsCreated.flatMap((p) => [p.token0, p.token1]))
    const batch = buildBatch(range, graph, tokens)
    // Read the next range while this one is written: the RPC and the database work in parallel.
    if (to < head) {
      const pairs = [...graph.pools().map((p) => p.address), ...batch.pools.map((p) => p.pair)]
      const next = this.fetch(pairs, to + 1, head)
      next.range.catch(() => undefined) // a failed prefetch is refetched by the next step
      this.prefetched = next
    }
    await writeBatch(this.options.db, this.key, cursor, batch)
    this.cursor = { blockNumber: batch.to.number, blockHash: batch.to.hash }
    this.applyToGraph(batch)
    this.eventsTotal += batch.eventCount
    this.emit('batch', batch)
    this.emit('advance', { from: cursor?.blockNumber ?? null, to: batch.to.number })
    await this.publish(batch)
    return batch.eventCount
  }

  /**
   * An index that starts after the factory's deployment first reads the pairs that already exist
   * (allPairs at the block before the start, with reserves and LP supply there), so it follows
   * them from the start block on and prices them from the first quote.
   */
  private async bootstrap(block: number): Promise<void> {
    const snapshot = await snapshotFactory(this.options.rpc, this.key.factory, block)
    const tokens = await this.readNewTokens(snapshot.pools.flatMap((p) => [p.token0, p.token1]))
    await writeSnapshot(this.options.db, this.key, snapshot, tokens)
    this.cursor = { blockNumber: snapshot.block.number, blockHash: snapshot.block.hash }
    await this.options.graph.load(this.options.db)
    this.options.logger?.info(
      { block, pairs: snapshot.pools.length, tokens: tokens.length },
      'indexer: read the pairs that exist before the start block from the factory',
    )
  }

  /** Starts reading the blocks from `from`: by range while deep, block by block near the head. */
  private fetch(pairs: string[], from: number, head: number) {
    const firstByHash = head - (this.options.headBlocks ?? 16) + 1
    const byHash = from >= firstByHash
    const to = Math.min(head, from + this.rangeBlocks - 1, byHash ? head : firstByHash - 1)
    const read = byHash ? fetchBlocks : fetchRange
    return { from, to, range: read(this.options.rpc, this.key.factory, pairs, from, to) }
  }

  private async readNewTokens(addresses: Address[]): Promise<TokenMetadata[]> {
    const unknown = [...new Set(addresses)].filter((a) => this.options.graph.token(a) === undefined)
    const tokens: TokenMetadata[] = []
    for (let i = 0; i < unknown.length; i += TOKEN_CONCURRENCY) {
      const chunk = unknown.slice(i, i + TOKEN_CONCURRENCY)
      tokens.push(...(await Promise.all(chunk.map((a) => readTokenMetadata(this.options.rpc, a)))))
    }
    return tokens
  }

  private applyToGraph(batch: IndexBatch): void {
    const { graph } = this.options
    for (const t of batch.tokens)
      graph.setToken({ address: t.address, symbol: t.symbol, name: t.name, decimals: t.decimals })
    for (const p of batch.pools) {
      graph.setPool({
        address: p.pair,
        token0: p.token0,
        token1: p.token1,
        reserve0: 0n,
        reserve1: 0n,
        totalSupply: 0n,
        updatedBlock: p.blockNumber,
      })
    }
    for (const u of batch.poolUpdates) {
      const pool = graph.pool(u.address)
      if (pool) graph.setPool({ ...pool, ...u })
    }
  }

  private async publish(batch: IndexBatch): Promise<void> {
    const { sink } = this.options
    if (!sink) return
    const events = normalizeBatch(this.key.chainId, batch)
    if (events.length === 0) return
    try {
      await sink.publish(events)
    } catch (error) {
      // The index is the source of truth; consumers can re-read a range from it.
      this.options.logger?.error(
        { err: error, from: batch.from, to: batch.to.number },
        'indexer: publish failed',
      )
    }
  }

  /** False when even the oldest stored block is gone: a new chain (e.g. a restarted dev node). */
  private async oldestStoredIsCanonical(): Promise<boolean> {
    const oldest = await this.options.db
      .selectFrom('blocks')
      .select(['number', 'hash'])
      .orderBy('number', 'asc')
      .limit(1)
      .executeTakeFirst()
    if (oldest === undefined) return false
    const onChain = await getBlockHeader(this.options.rpc, Number(oldest.number))
    return onChain?.hash.toLowerCase() === oldest.hash
  }

  /** Walks stored headers back until one is still canonical, and rolls the index back to it. */
  private async handleReorg(): Promise<void> {
    const from = this.cursor?.blockNumber ?? 0
    let fork: Cursor | null = null
    let below = (await this.oldestStoredIsCanonical()) ? from : -1
    search: while (below >= 0) {
      const stored = await storedBlocks(this.options.db, below, FORK_PAGE)
      if (stored.length === 0) break
      const head = await getBlockNumber(this.options.rpc)
      const onChain = await fetchHeaders(
        this.options.rpc,
        stored.filter((b) => b.number <= head).map((b) => b.number),
      ).catch((error) => {
        if (error instanceof InconsistentFetchError) return new Map()
        throw error
      })
      for (const block of stored) {
        if (onChain.get(block.number)?.hash === block.hash) {
          fork = { blockNumber: block.number, blockHash: block.hash }
          break search
        }
      }
      below = (stored.at(-1)?.number ?? 0) - 1
    }
    this.prefetched = null
    this.options.logger?.warn({ from, fork: fork?.blockNumber ?? null }, 'indexer: reorg, rolling back')
    await rollbackTo(this.options.db, this.key, this.cursor, fork)
    this.cursor = fork
    await this.options.graph.load(this.options.db)
    this.emit('reorg', { fork: fork?.blockNumber ?? null, from })
    await this.options.sink
      ?.publish([{ type: 'reorg', chainId: this.key.chainId, forkBlock: fork?.blockNumber ?? null }])
      .catch((error) => this.options.logger?.error({ err: error }, 'indexer: publish failed'))
  }
}
