import { createApp } from '@platform/service-kit/http'
import type { EdrChain } from '@soba/contracts'
import { type Address, createPublicClient, custom, parseAbi } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededTestChain, swapExactIn } from '../chain/test-chain.js'
import { waitReceipt } from '../chain/tx.js'
import { Indexer } from '../indexer/indexer.js'
import { openTestDatabases } from '../indexer/test-support.js'
import { PoolRegistry } from '../market/pool-registry.js'
import { quoteRoutes } from './routes.js'

const routerAbi = parseAbi([
  'function getAmountsOut(uint256 amountIn, address[] path) view returns (uint256[] amounts)',
])

let chain: EdrChain
let market: Awaited<ReturnType<typeof seededTestChain>>['market']
let accounts: Address[]
let dbs: Awaited<ReturnType<typeof openTestDatabases>>
let indexer: Indexer
let app: Awaited<ReturnType<typeof createApp>>
/** The indexer's eth_getLogs fails while set: it sees the head move but cannot index. */
let logsDown = false

const token = (symbol: string) => market.tokens.find((t) => t.symbol === symbol)?.address as Address
const quote = async (query: Record<string, string>) => {
  const res = await app.inject({ method: 'GET', url: '/v1/quote', query })
  return { status: res.statusCode, body: res.json(), headers: res.headers }
}

beforeAll(async () => {
  ;({ chain, market, accounts } = await seededTestChain())
  dbs = await openTestDatabases('freshness', 1)
  const registry = new PoolRegistry()
  indexer = new Indexer({
    db: dbs.databases[0]!.kysely,
    rpc: {
      request: async (args) => {
        if (logsDown && args.method === 'eth_getLogs') throw new Error('log node unavailable')
        return chain.request(args)
      },
    },
    graph: registry,
    chainId: chain.chainId,
    factory: market.deployment.factory,
  })
  await indexer.init()
  await indexer.syncToHead()
  app = await createApp({ service: 'dex-freshness-test', openapi: { title: 'test' } })
  await app.register(async (scope) =>
    quoteRoutes(scope as any, {
      registry,
      chain: { chainId: chain.chainId, rpc: chain, contracts: market.deployment },
      indexer,
      config: { QUOTE_MAX_LAG_BLOCKS: 2 },
    }),
  )
  await app.ready()
})
afterAll(async () => {
  await app?.close()
  await dbs?.close()
})

describe('quote freshness', () => {
  it('names the block it was priced at and equals getAmountsOut at that block, after the chain moved on', async () => {
    const amountIn = (10n ** 18n).toString()
    const { status, body } = await quote({ tokenIn: token('WETH'), tokenOut: token('USDC'), amountIn })
    expect(status).toBe(200)
    expect(body.blockNumber).toBe(indexer.indexedBlock)
    // The market trades on; the quote still names, and equals, its own block.
    await swapExactIn(
      chain,
      market.deployment.router,
      accounts[3]!,
      [token('WETH'), token('USDC')],
      10n ** 19n,
    )
    const client = createPublicClient({ transport: custom(chain) })
    const atBlock = await client.readContract({
      address: market.deployment.router,
      abi: routerAbi,
      functionName: 'getAmountsOut',
      args: [BigInt(amountIn), body.route],
      blockNumber: BigInt(body.blockNumber),
    })
    expect(body.legs[0].amounts).toEqual(atBlock.map(String))
    await indexer.syncToHead()
  })

  it('refuses quotes with 503 indexer_behind while the index is more than the limit behind the head', async () => {
    logsDown = true
    for (let i = 0; i < 3; i++) await chain.request({ method: 'evm_mine', params: [] })
    await expect(indexer.syncToHead()).rejects.toThrow('log node unavailable')
    const behind = await quote({
      tokenIn: token('WETH'),
      tokenOut: token('USDC'),
      amountIn: '1000000000000000',
    })
    expect(behind.status).toBe(503)
    expect(behind.body.code).toBe('indexer_behind')
    expect(String(behind.headers['content-type'])).toContain('application/problem+json')
    logsDown = false
    await indexer.syncToHead()
    const caughtUp = await quote({
      tokenIn: token('WETH'),
      tokenOut: token('USDC'),
      amountIn: '1000000000000000',
    })
    expect(caughtUp.status).toBe(200)
  })

  it('estimates gas with eth_estimateGas on the built swap, and the estimate covers what the swap uses', async () => {
    const trader = accounts[4]!
    const { body } = await quote({
      tokenIn: token('DAI'),
      tokenOut: token('WBTC'),
      amountIn: (1000n * 10n ** 18n).toString(),
      recipient: trader,
    })
    expect(body.gasSource).toBe('eth_estimateGas')
    const swap = body.transactions.find((t: any) => t.kind === 'swap').tx
    // A pair writes its price accumulators only when the block's time moved since its last
    // update, and the first write to a zero slot costs 20k gas a pair. The seed runs within a
    // second or two, so whether the estimate's block and the swap's block fall in a new second
    // depends on the machine's speed. Mined at the latest block's time, the swap does at most
    // what the estimate saw; the wallet's gas limit is the estimate, and it must suffice.
    const latest = (await chain.request({ method: 'eth_getBlockByNumber', params: ['latest', false] })) as {
      timestamp: string
    }
    await chain.request({ method: 'evm_setNextBlockTimestamp', params: [latest.timestamp] })
    const hash = (await chain.request({
      method: 'eth_sendTransaction',
      params: [
        { from: trader, to: swap.to, data: swap.data, gas: `0x${BigInt(body.gasEstimate).toString(16)}` },
      ],
    })) as `0x${string}`
    const receipt = await waitReceipt(chain, hash)
    expect(receipt.status).toBe('0x1')
    const used = BigInt((receipt as unknown as { gasUsed: string }).gasUsed)
    expect(BigInt(body.gasEstimate)).toBeGreaterThanOrEqual(used)
    // and it is no wild guess: at most the accumulator writes of a new second above what was used
    expect(BigInt(body.gasEstimate)).toBeLessThan(used * 2n)
    // Without a recipient there is no transaction to estimate: the table answers, and says so.
    const plain = await quote({
      tokenIn: token('DAI'),
      tokenOut: token('WBTC'),
      amountIn: (10n ** 21n).toString(),
    })
    expect(plain.body.gasSource).toBe('table')
  })
})
