import { Counter, type Registry } from 'prom-client'
import { dailyIndexName } from './bulk-index-name.js'

export interface ElasticsearchShippingOptions {
  /** Base URL of the cluster, e.g. http://elasticsearch:9200. */
  url: string
  service: string
  apiKey?: string
  /** Lines per `_bulk` request (default 100). */
  batchSize?: number
  /** Ship what is buffered at least this often (default 5000 ms). */
  flushIntervalMs?: number
  /** Lines held while Elasticsearch is slow or down; beyond it new lines are dropped (default 10000). */
  maxBufferedLines?: number
  /** Attempts per batch before its lines are dropped (default 5). */
  maxAttempts?: number
  /** First retry delay, doubled per attempt (default 500 ms). */
  backoffMs?: number
  /** Registry for `log_shipping_dropped_lines_total` and `log_shipping_shipped_lines_total`. */
  registry?: Registry
}

interface Entry {
  index: string
  line: string
}

/**
 * A pino destination that ships log lines to Elasticsearch through `_bulk`: batches of
 * `batchSize` or every `flushIntervalMs`, one request at a time, retries with exponential backoff
 * (whole batch on transport errors, 429 and 5xx; only the failed items on partial failures), and
 * a bounded buffer whose overflow is counted, never blocking the service.
 */
export class ElasticsearchShipper {
  dropped = 0
  shipped = 0
  private buffer: Entry[] = []
  private sending: Promise<void> | undefined
  private readonly timer: NodeJS.Timeout
  private readonly droppedCounter?: Counter
  private readonly shippedCounter?: Counter
  private readonly batchSize: number
  private readonly maxBuffered: number
  private readonly maxAttempts: number
  private readonly backoffMs: number
  private closed = false

  constructor(private readonly options: ElasticsearchShippingOptions) {
    this.batchSize = options.batchSize ?? 100
    this.maxBuffered = options.maxBufferedLines ?? 10_000
    this.maxAttempts = options.maxAttempts ?? 5
    this.backoffMs = options.backoffMs ?? 500
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 5000)
    this.timer.unref()
    if (options.registry) {
      this.droppedCounter = counter(
        options.registry,
        'log_shipping_dropped_lines_total',
        'Log lines dropped by the shipper.',
      )
      this.shippedCounter = counter(
        options.registry,
        'log_shipping_shipped_lines_total',
        'Log lines accepted by Elasticsearch.',
      )
    }
  }

  /** pino calls this with one serialized line (ending in a newline). */
  write(line: string): boolean {
    if (this.closed) return true
    if (this.buffer.length >= this.maxBuffered) {
      this.drop(1)
      return true
    }
    const text = line.endsWith('\n') ? line : `${line}\n`
    this.buffer.push({ index: dailyIndexName(this.options.service, text), line: text })
    if (this.buffer.length >= this.batchSize) void this.flush()
    return true
  }

  /** Ships what is buffered; resolves when the buffer is empty or its lines were dropped. */
  async flush(): Promise<void> {
    while (this.sending) await this.sending
    if (this.buffer.length === 0) return
    this.sending = this.drain().finally(() => {
      this.sending = undefined
    })
    await this.sending
  }

  /** Stops the timer and ships everything left. */
  async close(): Promise<void> {
    clearInterval(this.timer)
    await this.flush()
    this.closed = true
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.batchSize)
      await this.sendWithRetry(batch)
    }
  }

  private async sendWithRetry(batch: Entry[]): Promise<void> {
    let pending = batch
    for (let attempt = 1; pending.length > 0; attempt++) {
      pending = await this.send(pending)
      if (pending.length === 0) return
      if (attempt >= this.maxAttempts) break
      await sleep(this.backoffMs * 2 ** (attempt - 1))
    }
    this.drop(pending.length)
  }

  /** Sends one `_bulk` request; returns the entries worth retrying. */
  private async send(batch: Entry[]): Promise<Entry[]> {
    const body = batch
      .map((entry) => `${JSON.stringify({ create: { _index: entry.index } })}\n${entry.line}`)
      .join('')
    let response: Response
    try {
      response = await fetch(`${this.options.url.replace(/\/+$/, '')}/_bulk`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-ndjson',
          ...(this.options.apiKey ? { authorization: `ApiKey ${this.options.apiKey}` } : {}),
        },
        body,
      })
    } catch {
      return batch
    }
    if (response.status === 429 || response.status >= 500) {
      await response.body?.cancel()
      return batch
    }
    if (!response.ok) {
      await response.body?.cancel()
      this.drop(batch.length)
      return []
    }
    const result = (await response.json()) as {
      errors?: boolean
      items?: Record<string, { status: number }>[]
    }
    if (!result.errors) {
      this.ship(batch.length)
      return []
    }
    const retry: Entry[] = []
    let rejected = 0
    batch.forEach((entry, i) => {
      const status = Object.values(result.items?.[i] ?? {})[0]?.status ?? 500
      if (status < 300) return
      if (status === 429 || status >= 500) retry.push(entry)
      else rejected++
    })
    this.ship(batch.length - retry.length - rejected)
    this.drop(rejected)
    return retry
  }

  private ship(count: number): void {
    this.shipped += count
    this.shippedCounter?.inc(count)
  }

  private drop(count: number): void {
    if (count === 0) return
    this.dropped += count
    this.droppedCounter?.inc(count)
  }
}

function counter(registry: Registry, name: string, help: string): Counter {
  return (
    (registry.getSingleMetric(name) as Counter | undefined) ??
    new Counter({ name, help, registers: [registry] })
  )
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
