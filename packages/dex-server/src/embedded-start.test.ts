import { SobaPair, SobaRouter } from '@soba/contracts'
import { type Abi, type Address, createPublicClient, createWalletClient, http } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropSchema, uniqueSchema, until } from './indexer/test-support.js'
import { type DexServer, startDexServer } from './main.js'

let server: DexServer
const schema = uniqueSchema('dex_embedded')
const get = async (path: string) => {
  const res = await fetch(`${server.url}${path}`)
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as any }
}

beforeAll(async () => {
  server = await startDexServer({
    schema,
    env: {
      ...process.env,
      PORT: '0',
      RPC_PORT: '0',
      LOG_LEVEL: 'warn',
      CHAIN_BLOCK_TIME_MS: '250',
      SIM_INTERVAL_MS: '150',
      INDEXER_POLL_MS: '50',
    },
  })
})

afterAll(async () => {
  await server?.close()
  await dropSchema(schema)
})

describe('embedded start', () => {
  it('shows pools with TVL and volume, and candles that advance, within 30 s', async () => {
    const pools = await until(
      async () => {
        const { body } = await get('/v1/pools')
        const ready =
          body.pools.length === 8 &&
          body.pools.every((p: any) => BigInt(p.tvl ?? 0) > 0n) &&
          body.pools.some((p: any) => BigInt(p.volume24h ?? 0) > 0n)
        return ready ? body.pools : undefined
      },
      30_000,
      'pools with TVL and volume',
    )
    expect(pools[0].tokens).toHaveLength(2)
    const pool = pools[0].address
    const first = (await get(`/v1/candles?pool=${pool}&interval=1m`)).body.candles.at(-1)
    // Advancing: the newest candle gains trades, or a newer candle starts.
    await until(
      async () => {
        const last = (await get(`/v1/candles?pool=${pool}&interval=1m`)).body.candles.at(-1)
        return (
          last !== undefined && (first === undefined || last.time > first.time || last.trades > first.trades)
        )
      },
      30_000,
      'the candle to advance',
    )
  })

  it('is ready once the database and the chain answer', async () => {
    const res = await fetch(`${server.url}/health/ready`)
    expect(res.status).toBe(200)
    expect(res.headers.get('ratelimit-limit')).toBeNull() // health checks are never limited
    const pools = await fetch(`${server.url}/v1/pools`)
    expect(pools.headers.get('ratelimit-policy')).toMatch(/^\d+;w=60$/)
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toMatch(/^dex_indexer_block({[^}]*})? \d+$/m)
  })

  it('serves /v1/chain with the deployment and the five tokens', async () => {
    const { body } = await get('/v1/chain')
    expect(Object.keys(body).sort()).toEqual([
      'chainId',
      'contracts',
      'embedded',
      'indexer',
      'rpcUrl',
      'tokens',
      'walletConnectProjectId',
    ])
    expect(body.embedded).toBe(true)
    expect(body.indexer.lag).toBeLessThanOrEqual(3)
    expect(body.indexer.block).toBeGreaterThan(0)
    expect(body.chainId).toBe(31337)
    expect(Object.keys(body.contracts).sort()).toEqual(['factory', 'router', 'weth'])
    expect(body.tokens.map((t: any) => t.symbol).sort()).toEqual([
      'DAI',
      'MRV',
      'SOBA',
      'USDC',
      'WBTC',
      'WETH',
    ])
    expect(body.tokens.find((t: any) => t.symbol === 'USDC').decimals).toBe(6)
  })

  it('streams swaps, pool updates and candles over server-sent events', async () => {
    // Left open on purpose: closing the server must end live streams rather than wait on them.
    await fetch(`${server.url}/v1/stream?channels=pools`)
    const controller = new AbortController()
    const res = await fetch(`${server.url}/v1/stream?channels=swaps,pools,candles&interval=5m`, {
      signal: controller.signal,
    })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const seen = new Map<string, any>()
    let text = ''
    while (seen.size < 3) {
      const { value, done } = await reader.read()
      if (done) break
      text += new TextDecoder().decode(value)
      for (const [, event, data] of text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)) {
        if (!seen.has(event as string)) seen.set(event as string, JSON.parse(data as string))
      }
    }
    controller.abort()
    expect(seen.get('swaps').txHash).toMatch(/^0x[0-9a-f]{64}$/)
    expect(seen.get('pools').reserves).toHaveLength(2)
    expect(seen.get('candles')).toMatchObject({ interval: '5m', trades: expect.any(Number) })
  })

  it('indexes a swap sent with viem from a dev account within 2 blocks', async () => {
    await server.simulator?.stop() // a quiet market, so the candle change is this swap's alone
    const { body: chain } = await get('/v1/chain')
    const transport = http(chain.rpcUrl)
    const publicClient = createPublicClient({ transport })
    const accounts = await createWalletClient({ transport }).getAddresses()
    const trader = accounts[9] as Address
    const wallet = createWalletClient({ transport, account: trader })
    const weth = chain.tokens.find((t: any) => t.symbol === 'WETH').address as Address
    const usdc = chain.tokens.find((t: any) => t.symbol === 'USDC').address as Address
    // Let the simulator's last transactions be mined and indexed before taking the "before" view.
    await server.deps.indexer.waitForBlock(Number(await publicClient.getBlockNumber()) + 1)
    const pool = (await get(`/v1/pools?token=${usdc}`)).body.pools.find((p: any) =>
      p.tokens.some((t: any) => t.address === weth.toLowerCase()),
    ).address as Address
    const before = (await get(`/v1/candles?pool=${pool}&interval=1m`)).body.candles.at(-1)

    const hash = await wallet.writeContract({
      chain: null,
      address: chain.contracts.router,
      abi: SobaRouter.abi as Abi,
      functionName: 'swapExactTokensForTokens',
      args: [10n ** 18n, 0n, [weth, usdc], trader, BigInt(Math.floor(Date.now() / 1000) + 600)],
    })
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 })
    expect(receipt.status).toBe('success')

    const swap = await until(
      async () =>
        (await get(`/v1/swaps?pool=${pool}&limit=20`)).body.swaps.find((s: any) => s.txHash === hash),
      10_000,
      'the swap in /v1/swaps',
    )
    const head = await publicClient.getBlockNumber()
    expect(head - receipt.blockNumber).toBeLessThanOrEqual(2n)
    expect(swap.amount0In === '1000000000000000000' || swap.amount1In === '1000000000000000000').toBe(true)

    const after = (await get(`/v1/candles?pool=${pool}&interval=1m`)).body.candles.at(-1)
    expect(after.time).toBe(new Date(Math.floor(Date.parse(swap.time) / 60_000) * 60_000).toISOString())
    expect(after.close).toBe(swap.price)
    expect(after.trades).toBe(before?.time === after.time ? before.trades + 1 : 1)

    const [reserve0, reserve1] = (await publicClient.readContract({
      address: pool,
      abi: SobaPair.abi as Abi,
      functionName: 'getReserves',
    })) as [bigint, bigint, number]
    const listed = (await get(`/v1/pools/${pool}`)).body.pool
    expect(listed.reserves).toEqual([reserve0.toString(), reserve1.toString()])

    // The router's quote, served by the same app over the indexed pools, matches getAmountsOut
    // leg by leg (a quote may split across two routes).
    const quote = (await get(`/v1/quote?tokenIn=${weth}&tokenOut=${usdc}&amountIn=${10n ** 18n}`)).body
    for (const leg of quote.legs) {
      const amounts = (await publicClient.readContract({
        address: chain.contracts.router,
        abi: SobaRouter.abi as Abi,
        functionName: 'getAmountsOut',
        args: [BigInt(leg.amountIn), leg.route],
      })) as bigint[]
      expect(leg.amountOut).toBe(amounts.at(-1)?.toString())
    }
    expect(quote.legs.reduce((sum: bigint, leg: any) => sum + BigInt(leg.amountOut), 0n).toString()).toBe(
      quote.amountOut,
    )
  })

  it('answers bad input with 4xx problem+json', async () => {
    const pool = (await get('/v1/pools')).body.pools[0].address
    const cases: Array<[string, number, string?]> = [
      ['/v1/swaps?pool=0x1234', 400],
      ['/v1/swaps?pool=0xzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', 400],
      ['/v1/swaps?pool=0x000000000000000000000000000000000000dead', 404, 'unknown_pool'],
      ['/v1/swaps?limit=0', 400],
      ['/v1/swaps?limit=abc', 400],
      ['/v1/swaps?limit=100000', 400],
      ['/v1/swaps?cursor=yesterday', 400, 'invalid_cursor'],
      [`/v1/candles?pool=${pool}&interval=7m`, 400],
      [`/v1/candles?pool=${pool}`, 400],
      ['/v1/candles?interval=1m', 400],
      ['/v1/candles?pool=0x000000000000000000000000000000000000dead&interval=1m', 404, 'unknown_pool'],
      [`/v1/candles?pool=${pool}&interval=1h&limit=-3`, 400],
      [`/v1/candles?pool=${pool}&interval=1h&from=last-tuesday`, 400],
      ['/v1/pools/0xnope', 400],
      ['/v1/pools/0x000000000000000000000000000000000000dead', 404, 'unknown_pool'],
      ['/v1/pools?token=WETH', 400],
      ['/v1/stream?channels=gossip', 400],
    ]
    for (const [path, status, code] of cases) {
      const res = await get(path)
      expect({ path, status: res.status }).toEqual({ path, status })
      expect(res.type).toContain('application/problem+json')
      expect(typeof res.body.code).toBe('string')
      if (code) expect(res.body.code).toBe(code)
    }
  })
})
