import { createTestDatabase, type Database } from '@platform/service-kit/db'
import { createApp } from '@platform/service-kit/http'
import type { Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DexDeps } from '../app.js'
import { migrateDexSchema } from '../main.js'
import { accountDataRoutes } from '../wallet/account-routes.js'
import { analyticsRoutes } from './analytics-routes.js'
import { MarketData } from './market.js'
import { PoolRegistry } from './pool-registry.js'

const WETH = '0x00000000000000000000000000000000000000e1' as Address
const USDC = '0x00000000000000000000000000000000000000c6' as Address
const ODD = '0x00000000000000000000000000000000000000dd' as Address
const POOL = '0x00000000000000000000000000000000000000a1' as Address
const TRADER = '0x00000000000000000000000000000000000000b0'
const ZERO = '0x0000000000000000000000000000000000000000'
const E18 = 10n ** 18n
const E6 = 10n ** 6n

describe('web app analytics: token list, pool history, 24 h changes, account history', () => {
  let database: Database
  let app: Awaited<ReturnType<typeof createApp>>

  beforeAll(async () => {
    database = await createTestDatabase('dex_analytics')
    await migrateDexSchema(database)
    const db = database.kysely
    const registry = new PoolRegistry()
    registry.setToken({ address: WETH, symbol: 'WETH', name: 'Wrapped Ether', decimals: 18 })
    registry.setToken({ address: USDC, symbol: 'USDC', name: 'USD Coin', decimals: 6 })
    registry.setToken({ address: ODD, symbol: 'ODD', name: 'Unlisted', decimals: 18 })
    // WETH is token1 here (address order does not matter to the registry): price = USDC per WETH... token0 = USDC.
    registry.setPool({
      address: POOL,
      token0: USDC,
      token1: WETH,
      reserve0: 3_000_000n * E6,
      reserve1: 1_000n * E18,
      totalSupply: 1n,
      updatedBlock: 30,
    })
    // Day 1 10:00 → block 10, 12:00 → block 20, day 2 11:00 → block 30 (the newest indexed block).
    await db
      .insertInto('blocks')
      .values([
        { number: 10, hash: '0x10', parent_hash: '0x09', timestamp: '2026-12-01T10:05:00Z' },
        { number: 20, hash: '0x20', parent_hash: '0x19', timestamp: '2026-12-01T12:30:00Z' },
        { number: 30, hash: '0x30', parent_hash: '0x29', timestamp: '2026-12-02T11:00:00Z' },
      ])
      .execute()
    await db
      .insertInto('syncs')
      .values([
        {
          block_number: 10,
          log_index: 0,
          pool: POOL,
          reserve0: (2_000_000n * E6).toString(),
          reserve1: (1_000n * E18).toString(),
        },
        {
          block_number: 20,
          log_index: 0,
          pool: POOL,
          reserve0: (2_500_000n * E6).toString(),
          reserve1: (1_000n * E18).toString(),
        },
        {
          block_number: 30,
          log_index: 0,
          pool: POOL,
          reserve0: (3_000_000n * E6).toString(),
          reserve1: (1_000n * E18).toString(),
        },
      ])
      .execute()
    const candle = (
      interval: string,
      start: string,
      open: string,
      close: string,
      volume0: bigint,
      fees0: bigint,
      trades: number,
    ) => ({
      pool: POOL,
      interval,
      bucket_start: start,
      open,
      high: close,
      low: open,
      close,
      volume0: volume0.toString(),
      volume1: '0',
      fees0: fees0.toString(),
      fees1: '0',
      trades,
    })
    await db
      .insertInto('candles')
      .values([
        candle('1h', '2026-12-01T10:00:00Z', '0.0005', '0.0005', 10_000n * E6, 30n * E6, 2),
        candle('1h', '2026-12-02T11:00:00Z', '0.0004', '0.0004', 6_000n * E6, 18n * E6, 1),
        // 1-minute candles: the window's start price (before 24 h) and the newest.
        candle('1m', '2026-12-01T10:05:00Z', '0.0005', '0.0005', 1n, 0n, 1),
        candle('1m', '2026-12-02T11:00:00Z', '0.0004', '0.0004', 1n, 0n, 1),
      ])
      .execute()
    // The index knows the pool its swaps are from (history names each hop's tokens from it).
    await db
      .insertInto('tokens')
      .values([
        { address: USDC, symbol: 'USDC', name: 'USD Coin', decimals: 6, metadata_ok: true },
        { address: WETH, symbol: 'WETH', name: 'Wrapped Ether', decimals: 18, metadata_ok: true },
      ])
      .execute()
    await db
      .insertInto('pools')
      .values({
        address: POOL,
        token0: USDC,
        token1: WETH,
        factory: '0xf',
        created_block: 1,
        created_tx: '0xc1',
        updated_block: 30,
      })
      .execute()
    await db
      .insertInto('swaps')
      .values({
        block_number: 20,
        log_index: 1,
        pool: POOL,
        tx_hash: '0xs1',
        block_time: '2026-12-01T12:30:00Z',
        sender: '0xrouter',
        recipient: TRADER,
        tx_from: TRADER,
        amount0_in: (1000n * E6).toString(),
        amount1_in: '0',
        amount0_out: '0',
        amount1_out: (3n * 10n ** 17n).toString(),
        reserve0: '1',
        reserve1: '1',
        price: '0.0004',
      })
      .execute()
    await db
      .insertInto('liquidity_events')
      .values({
        block_number: 30,
        log_index: 2,
        pool: POOL,
        tx_hash: '0xm1',
        block_time: '2026-12-02T11:00:00Z',
        kind: 'mint',
        sender: '0xrouter',
        recipient: null,
        amount0: (3000n * E6).toString(),
        amount1: E18.toString(),
      })
      .execute()
    await db
      .insertInto('lp_transfers')
      .values({
        block_number: 30,
        log_index: 1,
        pool: POOL,
        tx_hash: '0xm1',
        from_address: ZERO,
        to_address: TRADER,
        value: '777',
      })
      .execute()

    const deps = {
      chain: {
        chainId: 31337,
        rpc: { request: async () => Promise.reject(new Error('no chain in this test')) },
        tokens: [
          { address: WETH, symbol: 'WETH', decimals: 18 },
          { address: USDC, symbol: 'USDC', decimals: 6 },
        ],
        contracts: { weth: WETH, router: '0x00000000000000000000000000000000000000e2' },
      },
      registry,
      market: new MarketData(db, registry, USDC),
      db: database,
    } as unknown as DexDeps
    app = await createApp({ service: 'dex-analytics-test', openapi: { title: 'test' } })
    await app.register(async (scope) => analyticsRoutes(scope as any, deps))
    await app.register(async (scope) => accountDataRoutes(scope as any, deps))
    await app.ready()
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  it('serves the seeded tokens as a Uniswap token list, leaving indexed-only tokens to import', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/tokenlist' })
    expect(response.statusCode).toBe(200)
    const list = response.json()
    expect(list.tokens.map((t: { symbol: string }) => t.symbol)).toEqual(['USDC', 'WETH'])
    expect(list.tokens[0]).toMatchObject({ chainId: 31337, decimals: 6, name: 'USD Coin' })
  })

  it('gives hourly TVL from the reserves of each bucket and volume and fees from its candle', async () => {
    const response = await app.inject({ method: 'GET', url: `/v1/pools/${POOL}/history?interval=1h` })
    expect(response.statusCode).toBe(200)
    const { points } = response.json()
    expect(points.map((p: { time: string }) => p.time)).toEqual([
      '2026-12-01T10:00:00.000Z',
      '2026-12-01T12:00:00.000Z',
      '2026-12-02T11:00:00.000Z',
    ])
    // The pool holds the quote token: TVL is twice the USDC side at each bucket.
    expect(points.map((p: { tvl: string }) => p.tvl)).toEqual([
      (4_000_000n * E6).toString(),
      (5_000_000n * E6).toString(),
      (6_000_000n * E6).toString(),
    ])
    expect(points[0]).toMatchObject({
      volume: (10_000n * E6).toString(),
      fees: (30n * E6).toString(),
      trades: 2,
    })
    // A bucket with a reserve change but no swaps has zero volume, not a missing point.
    expect(points[1]).toMatchObject({ volume: '0', fees: '0', trades: 0 })
  })

  it('reports the 24 h price change of the pool and of the token paired with the quote token', async () => {
    const history = (await app.inject({ method: 'GET', url: `/v1/pools/${POOL}/history?interval=1d` })).json()
    expect(history.priceChange24h).toEqual({ open: '0.0005', close: '0.0004', changePercent: '-20.0000' })
    const changes = (await app.inject({ method: 'GET', url: '/v1/price-changes' })).json()
    expect(changes.pools).toEqual([
      { pool: POOL, open: '0.0005', close: '0.0004', changePercent: '-20.0000' },
    ])
    // WETH is token1: its USDC price went from 2,000 to 2,500, +25%.
    expect(changes.tokens).toHaveLength(1)
    expect(changes.tokens[0]).toMatchObject({ token: WETH, changePercent: '25.0000' })
    expect(changes.tokens[0].open).toMatch(/^2000\.0+$/)
    expect(changes.tokens[0].close).toMatch(/^2500\.0+$/)
  })

  it("lists an account's swaps and liquidity, newest first", async () => {
    const response = await app.inject({ method: 'GET', url: `/v1/wallet/${TRADER}/history` })
    expect(response.statusCode).toBe(200)
    const { activity } = response.json()
    expect(activity.map((a: { kind: string; txHash: string }) => [a.kind, a.txHash])).toEqual([
      ['mint', '0xm1'],
      ['swap', '0xs1'],
    ])
    expect(activity[0]).toMatchObject({ liquidity: '777', amount1: E18.toString() })
    expect(activity[1]).toEqual({
      kind: 'swap',
      txHash: '0xs1',
      blockNumber: 20,
      logIndex: 1,
      time: '2026-12-01T12:30:00.000Z',
      pool: POOL,
      pools: [POOL],
      tokenIn: { address: USDC, symbol: 'USDC', decimals: 6 },
      amountIn: (1000n * E6).toString(),
      tokenOut: { address: WETH, symbol: 'WETH', decimals: 18 },
      amountOut: (3n * 10n ** 17n).toString(),
      recipient: TRADER,
      txFrom: TRADER,
      // WETH paid to the trader, not to the router to unwrap; and the index has no tx value.
      nativeIn: false,
      nativeOut: false,
    })
  })

  it('answers bad input with problem+json naming the field', async () => {
    const badInterval = await app.inject({ method: 'GET', url: `/v1/pools/${POOL}/history?interval=7m` })
    expect(badInterval.statusCode).toBe(400)
    expect(badInterval.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(badInterval.json().errors[0].path).toBe('/interval')
    const unknown = await app.inject({ method: 'GET', url: `/v1/pools/0x${'9'.repeat(40)}/history` })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().code).toBe('unknown_pool')
    const badAccount = await app.inject({ method: 'GET', url: '/v1/wallet/0x12/history' })
    expect(badAccount.statusCode).toBe(400)
    expect(badAccount.json()).toMatchObject({ code: 'invalid_address' })
  })
})
