import type { PGlite } from '@electric-sql/pglite'
import { createPglite } from '@platform/service-kit/db'
import { createEdrChain, deployUniswapV2, type EdrChain, uniswapV2Artifacts } from '@soba/contracts'
import type { Abi, Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RpcServer, startRpcServer } from './chain/rpc-server.js'
import { addLiquidity, deployTestToken, swapExactIn } from './chain/test-chain.js'
import { readContract } from './chain/tx.js'
import { dropSchema, uniqueSchema, until } from './indexer/test-support.js'
import type { LiveMessage } from './live/hub.js'
import { type DexServer, startDexServer } from './main.js'

// Two DEX servers on one database and one chain (a gateway's replicas, or a gateway and an intel
// process): one runs the indexer, the other serves pools, quotes and the live feed from what the
// first stores, and takes the indexer over when the first stops.
let node: EdrChain
let rpc: RpcServer
let pglite: PGlite | undefined
let first: DexServer | undefined
let second: DexServer | undefined
let deployment: Awaited<ReturnType<typeof deployUniswapV2>>
let tokens: [Address, Address]
let trader: Address
let pair: Address
const schema = uniqueSchema('dex_election')

const get = async (server: DexServer, path: string) => {
  const response = await fetch(`${server.url}${path}`)
  return { status: response.status, body: (await response.json()) as any }
}

const start = () =>
  startDexServer({
    schema,
    ...(pglite ? { pglite } : {}),
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'warn',
      CHAIN_RPC_URL: rpc.url,
      FACTORY_ADDRESS: deployment.factory,
      ROUTER_ADDRESS: deployment.router,
      WETH_ADDRESS: deployment.weth,
      QUOTE_TOKEN_ADDRESS: tokens[0],
      DEX_SERVICES: 'none',
      INDEXER_POLL_MS: '50',
      INDEXER_FOLLOW_MS: '50',
      INDEXER_LEASE_TTL_MS: '2000',
    },
  })

const onChainReserves = async () =>
  (
    await readContract<[bigint, bigint]>(
      node,
      pair,
      uniswapV2Artifacts.UniswapV2Pair.abi as Abi,
      'getReserves',
    )
  )
    .slice(0, 2)
    .map(String)

const quotePath = () => `/v1/quote?tokenIn=${tokens[1]}&tokenOut=${tokens[0]}&amountIn=${10n ** 18n}`

beforeAll(async () => {
  node = await createEdrChain({ allowBlocksWithSameTimestamp: true })
  rpc = await startRpcServer({ provider: node, host: '127.0.0.1', port: 0 })
  const [deployer, account] = node.accounts.map((a) => a.address) as [Address, Address]
  trader = account
  deployment = await deployUniswapV2(node)
  tokens = [
    await deployTestToken(node, deployer, 'USDX', 6, [deployer, trader], deployment.router),
    await deployTestToken(node, deployer, 'GOLD', 18, [deployer, trader], deployment.router),
  ]
  await addLiquidity(node, deployment.router, deployer, tokens[0], tokens[1], 2n * 10n ** 12n, 10n ** 21n)
  pair = (
    await readContract<Address>(
      node,
      deployment.factory,
      uniswapV2Artifacts.UniswapV2Factory.abi as Abi,
      'getPair',
      [...tokens],
    )
  ).toLowerCase() as Address
  // Embedded mode: both servers share one PGlite, as two processes share one Postgres.
  if (!process.env.DATABASE_URL) pglite = await createPglite()
  first = await start()
  await until(async () => (await get(first as DexServer, '/v1/pools')).body.pools.length === 1)
  second = await start()
}, 120_000)

afterAll(async () => {
  await second?.close()
  await first?.close()
  await rpc?.close()
  await pglite?.close()
  await dropSchema(schema)
})

describe('two DEX servers on one database', () => {
  it('one indexes; the other serves pools, quotes and live swaps that follow new blocks', async () => {
    const [a, b] = [first as DexServer, second as DexServer]
    expect((await get(a, '/v1/chain')).body.indexer.indexing).toBe(true)
    expect((await get(b, '/v1/chain')).body.indexer.indexing).toBe(false)

    const live: LiveMessage[] = []
    const unsubscribe = b.deps.live.subscribe({
      channels: new Set(['swaps', 'pools']),
      send: (message) => live.push(message),
      close: () => {},
    })
    const receipt = await swapExactIn(node, deployment.router, trader, [tokens[1], tokens[0]], 10n ** 18n)
    const block = Number(receipt.blockNumber)
    const reserves = await onChainReserves()
    await until(async () => {
      const pool = (await get(b, `/v1/pools/${pair}`)).body.pool
      return JSON.stringify(pool.reserves) === JSON.stringify(reserves)
    })
    const quoteB = await get(b, quotePath())
    const quoteA = await get(a, quotePath())
    expect(quoteB.status).toBe(200)
    expect(quoteB.body.blockNumber).toBeGreaterThanOrEqual(block)
    expect(quoteB.body.amountOut).toBe(quoteA.body.amountOut)
    const amounts = await readContract<bigint[]>(
      node,
      deployment.router,
      uniswapV2Artifacts.UniswapV2Router02.abi as Abi,
      'getAmountsOut',
      [10n ** 18n, [tokens[1], tokens[0]]],
    )
    expect(quoteB.body.amountOut).toBe(amounts.at(-1)?.toString())
    await until(async () =>
      live.some((m) => m.channel === 'swaps' && m.data.txHash === receipt.transactionHash),
    )
    await until(async () => live.some((m) => m.channel === 'pools' && m.data.updatedBlock === block))
    unsubscribe()
    const chain = (await get(b, '/v1/chain')).body
    expect(chain.indexer).toMatchObject({ indexing: false, lag: 0 })
    expect(chain.indexer.block).toBeGreaterThanOrEqual(block)
    expect((await get(b, '/health/ready')).status).toBe(200)
    // It wrote nothing: every event in the database was indexed by the first server.
    expect(b.deps.indexer.status().events).toBe(0)
    expect(a.deps.indexer.status().events).toBeGreaterThan(0)
  })

  it('takes the indexer over when the server that ran it stops', async () => {
    const b = second as DexServer
    await (first as DexServer).close()
    first = undefined
    await until(async () => (await get(b, '/v1/chain')).body.indexer.indexing, 10_000, 'the takeover')
    const receipt = await swapExactIn(node, deployment.router, trader, [tokens[0], tokens[1]], 10n ** 9n)
    const reserves = await onChainReserves()
    await until(async () => {
      const pool = (await get(b, `/v1/pools/${pair}`)).body.pool
      return JSON.stringify(pool.reserves) === JSON.stringify(reserves)
    })
    expect((await get(b, quotePath())).body.blockNumber).toBeGreaterThanOrEqual(Number(receipt.blockNumber))
    expect(b.deps.indexer.status().events).toBeGreaterThan(0)
  })
})
