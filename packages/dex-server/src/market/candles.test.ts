import { createApp } from '@platform/service-kit/http'
import { type EdrChain, SobaFactory, SobaPair, TestToken } from '@soba/contracts'
import { type Abi, type Address, formatUnits } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DexDeps } from '../app.js'
import { seededTestChain, swapExactIn } from '../chain/test-chain.js'
import { encodeCall, execute, readContract } from '../chain/tx.js'
import { Indexer } from '../indexer/indexer.js'
import { openTestDatabases } from '../indexer/test-support.js'
import { MarketData } from './market.js'
import { PoolRegistry } from './pool-registry.js'
import { parseE18 } from './pricing.js'
import { protocolFeeReader } from './protocol-fee.js'
import { marketRoutes } from './routes.js'

let chain: EdrChain
let market: Awaited<ReturnType<typeof seededTestChain>>['market']
let accounts: Address[]
let dbs: Awaited<ReturnType<typeof openTestDatabases>>
let app: Awaited<ReturnType<typeof createApp>>
let indexer: Indexer
const registry = new PoolRegistry()

const token = (symbol: string) => market.tokens.find((t) => t.symbol === symbol)?.address as Address
const pairOf = (a: string, b: string) =>
  readContract<Address>(chain, market.deployment.factory, SobaFactory.abi as Abi, 'getPair', [
    token(a),
    token(b),
  ]).then((p) => p.toLowerCase() as Address)
const E36 = 10n ** 36n
const E18 = 10n ** 18n

interface Candle {
  time: string
  open: string
  high: string
  low: string
  close: string
  volume0: string
  volume1: string
  volume0Tokens: string
  volume1Tokens: string
  trades: number
}
const candles = async (query: string) => {
  const response = await app.inject({ method: 'GET', url: `/v1/candles?${query}` })
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as { base: string; quote: string; candles: Candle[] }
}

// Blocks at chosen times: a swap, four empty minutes, then a donation and sync() (no trade).
const T0 = Math.floor(Date.now() / 1000 / 60) * 60 + 3600
let wethUsdc: Address

beforeAll(async () => {
  ;({ chain, market, accounts } = await seededTestChain())
  dbs = await openTestDatabases('candles', 1)
  const db = (dbs.databases[0] as (typeof dbs.databases)[0]).kysely
  indexer = new Indexer({
    db,
    rpc: chain,
    graph: registry,
    chainId: chain.chainId,
    factory: market.deployment.factory,
  })
  await indexer.init()
  wethUsdc = await pairOf('WETH', 'USDC')
  const [seeder, alice] = accounts as [Address, Address]
  const at = (t: number) => chain.request({ method: 'evm_setNextBlockTimestamp', params: [t] })
  await at(T0 + 5)
  await swapExactIn(chain, market.deployment.router, alice, [token('WETH'), token('USDC')], 10n ** 18n)
  await at(T0 + 10)
  await swapExactIn(chain, market.deployment.router, alice, [token('DAI'), token('WETH')], 3_000n * E18)
  await at(T0 + 5 * 60 + 1)
  await execute(chain, {
    from: seeder,
    to: token('USDC'),
    data: encodeCall(TestToken.abi as Abi, 'mint', [wethUsdc, 50_000n * 10n ** 6n]),
  })
  await at(T0 + 5 * 60 + 2)
  await execute(chain, { from: alice, to: wethUsdc, data: encodeCall(SobaPair.abi as Abi, 'sync') })
  await indexer.syncToHead()

  const deps = {
    registry,
    market: new MarketData(
      db,
      registry,
      token('USDC'),
      protocolFeeReader(chain, market.deployment.factory, 0),
    ),
    db: dbs.databases[0],
  } as unknown as DexDeps
  app = await createApp({ service: 'dex-candles-test', openapi: { title: 'test' } })
  await app.register(async (scope) => marketRoutes(scope as any, deps))
  await app.ready()
})
afterAll(async () => {
  await app?.close()
  await dbs?.close()
})

describe('candles', () => {
  it('have no gaps, open at the previous close, and include a sync() move without a trade', async () => {
    const { candles: series } = await candles(
      `pool=${wethUsdc}&interval=1m&from=${new Date(T0 * 1000).toISOString()}`,
    )
    expect(series.map((c) => c.time)).toEqual(
      Array.from({ length: 6 }, (_, i) => new Date((T0 + i * 60) * 1000).toISOString()),
    )
    for (let i = 1; i < series.length; i++) expect(series[i]?.open).toBe(series[i - 1]?.close)
    // The four empty minutes repeat the close with no volume.
    for (const gap of series.slice(1, 5)) {
      expect(gap).toMatchObject({ trades: 0, volume0: '0', volume1: '0', high: gap.open, low: gap.open })
    }
    const moved = series[5] as Candle
    expect(moved.trades).toBe(0)
    expect(moved.volume0).toBe('0')
    // 50,000 USDC donated then synced: the price of the pair's token0 moved.
    expect(moved.close).not.toBe(moved.open)
    // The first candle opens at the price before the swap, not at the swap's own price.
    const first = series[0] as Candle
    expect(first.trades).toBe(1)
    expect(first.open).not.toBe(first.close)
  })

  it('give volume in whole tokens (decimals applied) besides base units', async () => {
    const { candles: series } = await candles(`pool=${wethUsdc}&interval=1h`)
    const pool = registry.pool(wethUsdc)
    if (!pool) throw new Error('pool not indexed')
    const decimals = [pool.token0, pool.token1].map((t) => registry.token(t)?.decimals ?? 0)
    const traded = series.find((c) => c.trades > 0) as Candle
    expect(traded.volume0Tokens).toBe(formatUnits(BigInt(traded.volume0), decimals[0] as number))
    expect(traded.volume1Tokens).toBe(formatUnits(BigInt(traded.volume1), decimals[1] as number))
    expect(decimals).toContain(6)
  })

  it('price the pool both ways: base=token1 inverts every price, high and low swapped', async () => {
    const from = new Date(T0 * 1000).toISOString()
    const direct = await candles(`pool=${wethUsdc}&interval=1m&from=${from}`)
    const inverse = await candles(`pool=${wethUsdc}&interval=1m&from=${from}&base=token1`)
    const pool = registry.pool(wethUsdc)
    expect(direct.base).toBe(pool?.token0)
    expect(inverse.base).toBe(pool?.token1)
    expect(inverse.quote).toBe(pool?.token0)
    const c = direct.candles[0] as Candle
    const i = inverse.candles[0] as Candle
    expect(parseE18(i.close)).toBe(E36 / parseE18(c.close))
    expect(parseE18(i.high)).toBe(E36 / parseE18(c.low))
    expect(parseE18(i.low)).toBe(E36 / parseE18(c.high))
  })

  it('price in USD through the counter token’s pool with the USD token', async () => {
    const from = new Date(T0 * 1000).toISOString()
    const daiWeth = await pairOf('DAI', 'WETH')
    const pool = registry.pool(daiWeth)
    const daiIsToken0 = pool?.token0 === token('DAI')
    const base = daiIsToken0 ? 'token0' : 'token1'
    const pair = await candles(`pool=${daiWeth}&interval=1m&from=${from}&base=${base}`)
    const usd = await candles(`pool=${daiWeth}&interval=1m&from=${from}&base=${base}&quote=usd`)
    const weth = await candles(
      `pool=${wethUsdc}&interval=1m&from=${from}&base=${registry.pool(wethUsdc)?.token0 === token('WETH') ? 'token0' : 'token1'}`,
    )
    expect(usd.quote).toBe('usd')
    expect(usd.base).toBe(token('DAI'))
    const at = (s: { candles: Candle[] }, time: string) => s.candles.find((c) => c.time === time) as Candle
    const time = (pair.candles[0] as Candle).time
    const expected = (parseE18(at(pair, time).close) * parseE18(at(weth, time).close)) / E18
    expect(parseE18(at(usd, time).close)).toBe(expected)
    // DAI is a dollar stablecoin in the seeded market: its USD price is near 1.
    expect(Number(at(usd, time).close)).toBeGreaterThan(0.8)
    expect(Number(at(usd, time).close)).toBeLessThan(1.2)
  })

  it('offer a weekly interval', async () => {
    const { candles: weeks } = await candles(`pool=${wethUsdc}&interval=1w`)
    expect(weeks.length).toBeGreaterThan(0)
    expect(new Date((weeks.at(-1) as Candle).time).getUTCDay()).toBe(1)
  })

  it('count only the LPs’ share of fees in the APR once the protocol fee is on', async () => {
    const before = await app.inject({ method: 'GET', url: `/v1/pools/${wethUsdc}` })
    const off = before.json().pool
    const setter = await readContract<Address>(
      chain,
      market.deployment.factory,
      SobaFactory.abi as Abi,
      'feeToSetter',
    )
    await execute(chain, {
      from: setter,
      to: market.deployment.factory,
      data: encodeCall(SobaFactory.abi as Abi, 'setFeeTo', [accounts[9]]),
    })
    const on = (await app.inject({ method: 'GET', url: `/v1/pools/${wethUsdc}` })).json().pool
    expect(on.fees24h).toBe(off.fees24h)
    expect(BigInt(off.fees24h)).toBeGreaterThan(0n)
    const apr = (p: { feeApr: string }) => parseE18(p.feeApr)
    // 5/6 of the fees, within the rounding of fees valued in USDC base units (a millionth).
    const expected = (apr(off) * 5n) / 6n
    const error = apr(on) > expected ? apr(on) - expected : expected - apr(on)
    expect(error * 10n ** 6n).toBeLessThanOrEqual(expected)
  })
})
