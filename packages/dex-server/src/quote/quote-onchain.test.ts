import { createApp } from '@platform/service-kit/http'
import { type Address, erc20Abi, getAddress, parseAbi } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readPoolsFromChain } from '../router/chain-pools.js'
import { staticPools } from '../router/graph-source.js'
import { quoteRoutes } from './routes.js'
import { createTestMarket, routerAbi, type TestMarket } from './test-market.js'

async function quoteApp(market: TestMarket) {
  const pools = await readPoolsFromChain(market.client, market.deployment.factory)
  const app = await createApp({ service: 'dex-quote-test', openapi: { title: 'test' } })
  await app.register(async (scope) =>
    quoteRoutes(scope as any, {
      registry: staticPools(pools),
      chain: { chainId: market.chain.chainId, rpc: market.chain, contracts: market.deployment },
    }),
  )
  await app.ready()
  return app
}

async function get(app: Awaited<ReturnType<typeof quoteApp>>, query: Record<string, string | boolean>) {
  const res = await app.inject({
    method: 'GET',
    url: '/v1/quote',
    query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
  })
  return { status: res.statusCode, body: res.json(), type: res.headers['content-type'] }
}

for (const flavour of ['soba', 'uniswap-v2'] as const) {
  describe(`quotes equal the router on chain (${flavour} bytecode)`, () => {
    let market: TestMarket
    let app: Awaited<ReturnType<typeof quoteApp>>

    beforeAll(async () => {
      market = await createTestMarket({ uniswap: flavour === 'uniswap-v2', withWethPool: true })
      app = await quoteApp(market)
    })
    afterAll(async () => app?.close())

    it('answers exactly getAmountsOut for the route it picks, over 1 to 3 hops', async () => {
      const { TKA, TKB, TKC, TKD } = market.tokens
      const cases: Array<[Address, Address, bigint]> = [
        [TKA, TKB, 10n ** 18n],
        [TKB, TKA, 12_345_678n],
        [TKA, TKD, 5n * 10n ** 17n],
        [TKD, TKA, 1234n],
        [TKC, TKB, 7n * 10n ** 18n],
      ]
      const hops = new Set<number>()
      for (const [tokenIn, tokenOut, amountIn] of cases) {
        const { status, body } = await get(app, {
          tokenIn,
          tokenOut,
          amountIn: amountIn.toString(),
          split: false,
        })
        expect(status).toBe(200)
        const onChain = await market.client.readContract({
          address: market.deployment.router,
          abi: routerAbi,
          functionName: 'getAmountsOut',
          args: [amountIn, body.route],
        })
        expect(body.legs[0].amounts).toEqual(onChain.map(String))
        expect(body.amountOut).toBe(onChain.at(-1)!.toString())
        hops.add(body.route.length - 1)
      }
      expect(hops.size).toBeGreaterThan(1)
    })

    it('answers exactly getAmountsIn for exact-output quotes', async () => {
      const { TKA, TKD } = market.tokens
      const { status, body } = await get(app, {
        tokenIn: TKA,
        tokenOut: TKD,
        amountOut: '12345678',
        split: false,
      })
      expect(status).toBe(200)
      const onChain = await market.client.readContract({
        address: market.deployment.router,
        abi: routerAbi,
        functionName: 'getAmountsIn',
        args: [12_345_678n, body.route],
      })
      expect(body.amountIn).toBe(onChain[0]!.toString())
      expect(BigInt(body.maximumSold)).toBe((onChain[0]! * 10_050n + 9_999n) / 10_000n)
    })

    it('builds approve + swap calldata that, signed and sent, pays exactly the quote (split legs too)', async () => {
      const trader = market.accounts[2]!
      const { TKA, TKC } = market.tokens
      // Large enough that the split across A-C and A-B-C pays.
      const { status, body } = await get(app, {
        tokenIn: TKA,
        tokenOut: TKC,
        amountIn: (60n * 10n ** 18n).toString(),
        recipient: trader,
        expert: true,
        split: true,
      })
      expect(status).toBe(200)
      expect(body.split).toBe(true)
      for (const leg of body.legs) {
        const onChain = await market.client.readContract({
          address: market.deployment.router,
          abi: routerAbi,
          functionName: 'getAmountsOut',
          args: [BigInt(leg.amountIn), leg.route],
        })
        expect(leg.amounts).toEqual(onChain.map(String))
      }
      expect(body.transactions.map((t: any) => t.kind)).toEqual(['approve', 'swap', 'swap'])
      const before = await market.client.readContract({
        address: TKC,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [trader],
      })
      // The two legs use disjoint pools, so sending them one after the other keeps each exact.
      for (const { tx } of body.transactions) {
        const hash = (await market.chain.request({
          method: 'eth_sendTransaction',
          params: [{ from: trader, to: tx.to, data: tx.data, value: `0x${BigInt(tx.value).toString(16)}` }],
        })) as `0x${string}`
        expect((await market.client.waitForTransactionReceipt({ hash })).status).toBe('success')
      }
      const after = await market.client.readContract({
        address: TKC,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [trader],
      })
      expect(after - before).toBe(BigInt(body.amountOut))
    })

    it('builds exact-output calldata that sells exactly amountIn for exactly amountOut of native ETH', async () => {
      const trader = market.accounts[1]!
      const { TKA } = market.tokens
      // Earlier tests moved reserves: quote on a fresh read of the pools.
      const fresh = await quoteApp(market)
      const amountOut = 10n ** 16n
      const { status, body } = await get(fresh, {
        tokenIn: TKA,
        tokenOut: 'ETH',
        amountOut: amountOut.toString(),
        recipient: trader,
      })
      await fresh.close()
      expect(status).toBe(200)
      expect(body.kind).toBe('exactOut')
      expect(body.transactions.map((t: any) => t.kind)).toEqual(['approve', 'swap'])
      const tokenBefore = await market.client.readContract({
        address: TKA,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [trader],
      })
      const ethBefore = await market.client.getBalance({ address: trader })
      let gasPaid = 0n
      for (const { tx } of body.transactions) {
        const hash = (await market.chain.request({
          method: 'eth_sendTransaction',
          params: [{ from: trader, to: tx.to, data: tx.data, value: `0x${BigInt(tx.value).toString(16)}` }],
        })) as `0x${string}`
        const receipt = await market.client.waitForTransactionReceipt({ hash })
        expect(receipt.status).toBe('success')
        gasPaid += receipt.gasUsed * receipt.effectiveGasPrice
      }
      const tokenAfter = await market.client.readContract({
        address: TKA,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [trader],
      })
      const ethAfter = await market.client.getBalance({ address: trader })
      expect(tokenBefore - tokenAfter).toBe(BigInt(body.amountIn))
      expect(ethAfter - ethBefore + gasPaid).toBe(amountOut)
    })

    it('routes native ETH through WETH with the ETH router functions', async () => {
      const trader = market.accounts[3]!
      const { TKA } = market.tokens
      const fresh = await quoteApp(market)
      const { status, body } = await get(fresh, {
        tokenIn: 'ETH',
        tokenOut: TKA,
        amountIn: (10n ** 17n).toString(),
        recipient: trader,
      })
      await fresh.close()
      expect(status).toBe(200)
      expect(body.route[0]).toBe(getAddress(market.deployment.weth))
      expect(body.transactions.map((t: any) => t.kind)).toEqual(['swap'])
      const swap = body.transactions[0].tx
      expect(swap.value).toBe((10n ** 17n).toString())
      const before = await market.client.readContract({
        address: TKA,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [trader],
      })
      const hash = (await market.chain.request({
        method: 'eth_sendTransaction',
        params: [
          { from: trader, to: swap.to, data: swap.data, value: `0x${BigInt(swap.value).toString(16)}` },
        ],
      })) as `0x${string}`
      expect((await market.client.waitForTransactionReceipt({ hash })).status).toBe('success')
      const after = await market.client.readContract({
        address: TKA,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [trader],
      })
      expect(after - before).toBe(BigInt(body.amountOut))
    })
  })
}

describe('liquidity builders', () => {
  let market: TestMarket
  let app: Awaited<ReturnType<typeof quoteApp>>
  beforeAll(async () => {
    market = await createTestMarket()
    app = await quoteApp(market)
  })
  afterAll(async () => app?.close())

  it('fits amountB to the pool ratio, mints what the pair mints, and removes pro rata', async () => {
    const lp = market.accounts[1]!
    const { TKA, TKB } = market.tokens
    const add = await app.inject({
      method: 'GET',
      url: '/v1/liquidity/add',
      query: { tokenA: TKA, tokenB: TKB, amountA: (10n ** 18n).toString(), recipient: lp },
    })
    expect(add.statusCode).toBe(200)
    const plan = add.json()
    // 1,000 A : 2,000 B (6 decimals) → 1 A pairs with 2 B.
    expect(plan.amountB).toBe('2000000')
    expect(plan.transactions.map((t: any) => t.kind)).toEqual(['approve', 'approve', 'addLiquidity'])
    for (const { tx } of plan.transactions) {
      const hash = (await market.chain.request({
        method: 'eth_sendTransaction',
        params: [{ from: lp, to: tx.to, data: tx.data }],
      })) as `0x${string}`
      expect((await market.client.waitForTransactionReceipt({ hash })).status).toBe('success')
    }
    const pairAbi = parseAbi(['function balanceOf(address) view returns (uint256)'])
    const minted = await market.client.readContract({
      address: plan.pool,
      abi: pairAbi,
      functionName: 'balanceOf',
      args: [lp],
    })
    expect(minted.toString()).toBe(plan.liquidity)

    // The app reads pools once; a fresh app sees the new reserves and supply.
    const fresh = await quoteApp(market)
    const remove = await fresh.inject({
      method: 'GET',
      url: '/v1/liquidity/remove',
      query: { tokenA: TKA, tokenB: TKB, liquidity: minted.toString(), recipient: lp },
    })
    expect(remove.statusCode).toBe(200)
    const out = remove.json()
    expect(out.transactions.map((t: any) => t.kind)).toEqual(['approve', 'removeLiquidity'])
    const before = await market.client.readContract({
      address: TKA,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [lp],
    })
    for (const { tx } of out.transactions) {
      const hash = (await market.chain.request({
        method: 'eth_sendTransaction',
        params: [{ from: lp, to: tx.to, data: tx.data }],
      })) as `0x${string}`
      expect((await market.client.waitForTransactionReceipt({ hash })).status).toBe('success')
    }
    const after = await market.client.readContract({
      address: TKA,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [lp],
    })
    expect((after - before).toString()).toBe(out.amountA)
    await fresh.close()
  })
})
