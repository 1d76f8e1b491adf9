export interface GroupCommitOptions<I, R> {
  /**
   * Commits a batch as ONE unit (a transaction, or a single statement); `result[i]` answers
   * `items[i]`. Throwing fails the whole batch: it is then split and committed in halves.
   */
  commit: (items: I[]) => Promise<R[]>
  /** Largest batch (default 256). */
  maxBatch?: number
  /**
   * Items that must not share a batch: an item whose key is already in the batch waits for the
   * next one (e.g. two sends with one idempotency key would both look new inside one statement).
   */
  key?: (item: I) => string | null
  /**
   * A lone item's failure: answer it another way, or rethrow (the default) to reject its caller.
   */
  recover?: (item: I, error: unknown) => Promise<R>
  /**
   * Before the first batch after an idle spell, yield once to the event loop (`setImmediate`), so
   * items that arrive together (deliveries parsed from one socket read, a burst of requests) form
   * one batch instead of the first one alone and the rest queued behind its commit. Costs the
   * first item one loop turn; off by default.
   */
  gatherBurst?: boolean
}

export interface GroupCommitStats {
  /** Batches committed (a split batch counts each committed part). */
  committed: number
  /** Batch commits that threw (each split part that failed counts again). */
  failed: number
  /** Size of the largest committed batch. */
  largest: number
}

interface Pending<I, R> {
  item: I
  resolve: (result: R) => void
  reject: (error: unknown) => void
}

/**
 * Group commit: `submit` queues an item; whatever queued while the previous batch committed is
 * committed next as one batch, in submission order, and each caller is answered only after the
 * batch holding its item committed. Under light load a batch is one item and nothing waits (no
 * timer). A failing batch is split in halves, committed in order, until the failing item is alone:
 * one bad item never fails or rolls back the others.
 */
export class GroupCommit<I, R> {
  private queue: Pending<I, R>[] = []
  private running = false
  private readonly maxBatch: number
  readonly stats: GroupCommitStats = { committed: 0, failed: 0, largest: 0 }
  /** Told each committed batch's size. */
  onBatch?: (size: number) => void

  constructor(private readonly options: GroupCommitOptions<I, R>) {
    this.maxBatch = options.maxBatch ?? 256
  }

  /** Items queued and not yet in a batch. */
  get waiting(): number {
    return this.queue.length
  }

  submit(item: I): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      if (!this.running) void this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.running = true
    try {
      if (this.options.gatherBurst) await new Promise<void>((resolve) => setImmediate(resolve))
      while (this.queue.length > 0) await this.commitBatch(this.take())
    } finally {
      this.running = false
    }
  }

  /** The next batch, in queue order; items whose key is already in it stay queued. */
  private take(): Pending<I, R>[] {
    const batch: Pending<I, R>[] = []
    const later: Pending<I, R>[] = []
    const keys = new Set<string>()
    for (const pending of this.queue) {
      if (batch.length >= this.maxBatch) {
        later.push(pending)
        continue
      }
      const key = this.options.key?.(pending.item) ?? null
      if (key !== null) {
        if (keys.has(key)) {
          later.push(pending)
          continue
        }
        keys.add(key)
      }
      batch.push(pending)
    }
    this.queue = later
    return batch
  }

  private async commitBatch(batch: Pending<I, R>[]): Promise<void> {
    let results: R[]
    try {
      results = await this.options.commit(batch.map((p) => p.item))
    } catch (error) {
      this.stats.failed++
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2)
        await this.commitBatch(batch.slice(0, half))
        await this.commitBatch(batch.slice(half))
        return
      }
      const only = batch[0] as Pending<I, R>
      if (!this.options.recover) return only.reject(error)
      try {
        only.resolve(await this.options.recover(only.item, error))
      } catch (failure) {
        only.reject(failure)
      }
      return
    }
    this.stats.committed++
    this.stats.largest = Math.max(this.stats.largest, batch.length)
    this.onBatch?.(batch.length)
    for (const [i, pending] of batch.entries()) pending.resolve(results[i] as R)
  }
}
