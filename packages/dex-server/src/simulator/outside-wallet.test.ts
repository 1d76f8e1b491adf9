import { SobaRouter } from '@soba/contracts'
import { type Abi, type Address, createPublicClient, custom } from 'viem'
import { describe, expect, it } from 'vitest'
import { seededTestChain } from '../chain/test-chain.js'
import { encodeCall, sendTx, waitReceipt } from '../chain/tx.js'
import { buildQuote } from '../quote/quote.js'
import { readPoolsFromChain } from '../router/chain-pools.js'
import { PoolGraph } from '../router/graph.js'
import { MarketSimulator } from './simulator.js'
import { perTickVolatility } from './volatility.js'

describe('an outside wallet trading against the default simulated market', () => {
  it('swaps 0.1 WETH for USDC at the quoted minimumReceived 14 times without a revert', async () => {
    const { chain, market, accounts } = await seededTestChain()
    const client = createPublicClient({ transport: custom(chain) })
    const token = (symbol: string) => market.tokens.find((t) => t.symbol === symbol)?.address as Address
    const pools = await readPoolsFromChain(client, market.deployment.factory)
    // The server's defaults: 3 noise trades a tick, one-second ticks, 80% annual volatility.
    const simulator = new MarketSimulator({
      rpc: chain,
      router: market.deployment.router,
      tokens: market.tokens,
      pools: () =>
        pools.map((p) => ({ ...p, token0: p.token0.toLowerCase(), token1: p.token1.toLowerCase() }) as never),
      traders: accounts.slice(1, 5),
      arbitrageur: accounts[5] as Address,
      liquidityProviders: accounts.slice(6, 8),
      intervalMs: 1000,
      tradesPerTick: 3,
      seed: 42,
      volatility: perTickVolatility(0.8, 1000),
    })
    const wallet = accounts[9] as Address
    const outcomes: string[] = []
    for (let i = 0; i < 14; i++) {
      await simulator.tick()
      const graph = new PoolGraph(await readPoolsFromChain(client, market.deployment.factory))
      const quote = buildQuote(
        { graph, router: market.deployment.router, weth: market.deployment.weth },
        {
          tokenIn: token('WETH'),
          tokenOut: token('USDC'),
          kind: 'exactIn',
          amount: 10n ** 17n,
          slippageBps: 50n,
          deadline: 2n ** 40n,
          expert: false,
          split: false,
          maxHops: 3,
        },
      )
      // The market trades once more before the wallet's transaction lands (the next block).
      await simulator.tick()
      const data = encodeCall(SobaRouter.abi as Abi, 'swapExactTokensForTokens', [
        10n ** 17n,
        quote.limit,
        quote.legs[0]!.route,
        wallet,
        2n ** 40n,
      ])
      const hash = await sendTx(chain, { from: wallet, to: market.deployment.router, data, gas: 400_000n })
      outcomes.push((await waitReceipt(chain, hash)).status)
    }
    expect(simulator.stats.sent).toBeGreaterThan(14 * 2 * 3)
    expect(outcomes.filter((s) => s !== '0x1')).toEqual([])
  })
})
