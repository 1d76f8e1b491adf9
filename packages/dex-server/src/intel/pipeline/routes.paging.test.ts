import type { Database } from '@platform/service-kit/db'
import type { App } from '@platform/service-kit/http'
import { MemoryJobQueue } from '@platform/service-kit/queue'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabases } from '../../indexer/test-support.js'
import { PoolRegistry } from '../../market/pool-registry.js'
import { intelDb } from '../tables.js'
import { intelTestApp, intelTestDeps } from '../test-app.js'
import type { PipelineProcessor } from './consumer.js'
import type { ChainEvent } from './events.js'
import { pipelineRuntime } from './runtime.js'
import { syntheticStream } from './test-events.js'

const ACCOUNT = '0x00000000000000000000000000000000000000d1'
const pool = (n: number) => `0x${n.toString(16).padStart(40, '0')}`

describe("an account's trades page by (block, log index) cursor, counterparties busiest first", () => {
  let app: App
  let close: () => Promise<void>

  beforeAll(async () => {
    const dbs = await openTestDatabases('intel_accounts_paging', 1)
    close = dbs.close
    const deps = intelTestDeps('intel-accounts-test', dbs.databases[0] as Database, new PoolRegistry())
    const db = intelDb(deps)
    // Three trades in block 10 and two in block 11: a page boundary inside block 10 must not skip any.
    const trades = [
      [10, 0],
      [10, 1],
      [10, 2],
      [11, 0],
      [11, 1],
    ] as const
    await db
      .insertInto('intel_account_trades')
      .values(
        trades.map(([block, logIndex]) => ({
          account: ACCOUNT,
          event_id: `${block}-${logIndex}`,
          pool: pool(1),
          block_number: block,
          log_index: logIndex,
          tx_hash: `0x${String(block * 10 + logIndex).padStart(64, '0')}`,
          block_time: new Date(Date.UTC(2026, 0, 1, 0, 0, block)).toISOString(),
          token_in: pool(0xa),
          token_out: pool(0xb),
          amount_in: '100',
          amount_out: '99',
        })),
      )
      .execute()
    await db
      .insertInto('intel_account_counterparties')
      .values(
        [3, 9, 1].map((n, i) => ({
          account: ACCOUNT,
          counterparty: pool(i + 1),
          trades: n,
          first_block: 10,
          last_block: 11,
        })),
      )
      .execute()
    app = await intelTestApp('intel-accounts-test', deps)
  }, 60_000)

  afterAll(async () => {
    await app?.close()
    await close?.()
  })

  const get = async (url: string) => {
    const response = await app.inject({ url: `/v1/intel/pipeline/accounts/${ACCOUNT}${url}` })
    expect(response.statusCode, response.body).toBe(200)
    return response.json()
  }

  it('walks every trade once, newest first, two at a time', async () => {
    const seen: string[] = []
    let before: string | null = null
    do {
      const page = await get(`?limit=2${before ? `&before=${before}` : ''}`)
      expect(page.trades.length).toBeLessThanOrEqual(2)
      seen.push(
        ...page.trades.map(
          (t: { blockNumber: number; logIndex: number }) => `${t.blockNumber}-${t.logIndex}`,
        ),
      )
      before = page.nextCursor
    } while (before !== null)
    expect(seen).toEqual(['11-1', '11-0', '10-2', '10-1', '10-0'])
  })

  it('still honours beforeBlock, and bounds counterparties (busiest first)', async () => {
    const page = await get('?beforeBlock=11&counterparties=2')
    expect(page.trades.map((t: { logIndex: number }) => t.logIndex)).toEqual([2, 1, 0])
    expect(page.nextCursor).toBeNull()
    expect(
      page.counterparties.map((c: { address: string; trades: number }) => [c.address, c.trades]),
    ).toEqual([
      [pool(2), 9],
      [pool(1), 3],
    ])
    expect((await get('?counterparties=0')).counterparties).toEqual([])
  })
})

describe("an account's trades where the consumer runs", () => {
  let app: App
  let close: () => Promise<void>
  let processor: PipelineProcessor
  let stopQueue: () => Promise<void>
  const stream = syntheticStream(21, 1, 40)
  const account = (stream.find((e) => e.type === 'swap') as Extract<ChainEvent, { type: 'swap' }>).recipient
  const tradesOf = (events: ChainEvent[]) =>
    events.filter((e) => e.type === 'swap' && e.recipient === account).length

  beforeAll(async () => {
    const dbs = await openTestDatabases('intel_accounts_cache', 1)
    close = dbs.close
    const queue = new MemoryJobQueue()
    stopQueue = () => queue.close()
    const deps = intelTestDeps(
      'intel-accounts-cache-test',
      dbs.databases[0] as Database,
      new PoolRegistry(),
      {
        queue,
        indexer: { status: () => ({ head: null }) },
      },
    )
    const runtime = pipelineRuntime(deps)
    await runtime.start()
    processor = runtime.processor
    app = await intelTestApp('intel-accounts-cache-test', deps)
    return () => runtime.stop()
  }, 60_000)

  afterAll(async () => {
    await app?.close()
    await stopQueue?.()
    await close?.()
  })

  const trades = async () => {
    const response = await app.inject({ url: `/v1/intel/pipeline/accounts/${account}?limit=200` })
    expect(response.statusCode, response.body).toBe(200)
    return response.json().trades.length
  }

  it('answers the same until the consumer applies more, then the new trades at once', async () => {
    const head = stream.slice(0, 30)
    for (const event of head) await processor.handle(event)
    expect(await trades()).toBe(tradesOf(head))
    expect(await trades()).toBe(tradesOf(head))
    for (const event of stream.slice(30)) await processor.handle(event)
    expect(tradesOf(stream)).toBeGreaterThan(tradesOf(head))
    expect(await trades()).toBe(tradesOf(stream))
  })
})
