import { createEdrChain, deployUniswapV2, type EdrChain, uniswapV2Artifacts } from '@soba/contracts'
import type { Abi, Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RpcServer, startRpcServer } from './chain/rpc-server.js'
import { addLiquidity, deployTestToken, swapExactIn } from './chain/test-chain.js'
import { readContract } from './chain/tx.js'
import { dropSchema, uniqueSchema, until } from './indexer/test-support.js'
import { type DexServer, startDexServer } from './main.js'

// Another node on the network: EDR behind HTTP, running the original Uniswap v2 bytecode.
let node: EdrChain
let rpc: RpcServer
let server: DexServer
let deployment: Awaited<ReturnType<typeof deployUniswapV2>>
let tokens: Address[]
const schema = uniqueSchema('dex_remote')
const get = async (path: string) => (await (await fetch(`${server.url}${path}`)).json()) as any

beforeAll(async () => {
  node = await createEdrChain({ allowBlocksWithSameTimestamp: true })
  rpc = await startRpcServer({ provider: node, host: '127.0.0.1', port: 0 })
  const [deployer, trader] = node.accounts.map((a) => a.address) as [Address, Address]
  deployment = await deployUniswapV2(node)
  tokens = [
    await deployTestToken(node, deployer, 'USDX', 6, [deployer, trader], deployment.router),
    await deployTestToken(node, deployer, 'GOLD', 18, [deployer, trader], deployment.router),
  ]
  await addLiquidity(
    node,
    deployment.router,
    deployer,
    tokens[0] as Address,
    tokens[1] as Address,
    2n * 10n ** 12n,
    10n ** 21n,
  )
  await swapExactIn(node, deployment.router, trader, [tokens[0] as Address, tokens[1] as Address], 10n ** 9n)
  server = await startDexServer({
    schema,
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'warn',
      CHAIN_RPC_URL: rpc.url,
      FACTORY_ADDRESS: deployment.factory,
      ROUTER_ADDRESS: deployment.router,
      WETH_ADDRESS: deployment.weth,
      QUOTE_TOKEN_ADDRESS: tokens[0],
      INDEXER_POLL_MS: '50',
    },
  })
})

afterAll(async () => {
  await server?.close()
  await rpc?.close()
  await dropSchema(schema)
})

describe('a remote chain via CHAIN_RPC_URL', () => {
  it('indexes the deployment it is pointed at and follows new blocks over HTTP', async () => {
    const pair = (
      await readContract<Address>(
        node,
        deployment.factory,
        uniswapV2Artifacts.UniswapV2Factory.abi as Abi,
        'getPair',
        tokens,
      )
    ).toLowerCase() as Address
    const pools = await until(async () => {
      const body = await get('/v1/pools')
      return body.pools.length === 1 ? body.pools : undefined
    })
    const reserves = async () =>
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
    expect(pools[0].address).toBe(pair)
    expect(pools[0].reserves).toEqual(await reserves())
    expect(BigInt(pools[0].tvl)).toBeGreaterThan(0n)

    const chain = await get('/v1/chain')
    expect(chain.rpcUrl).toBe(rpc.url)
    expect(chain.embedded).toBe(false)
    expect(chain.contracts.factory).toBe(deployment.factory.toLowerCase())
    expect(chain.tokens.map((t: any) => t.symbol).sort()).toEqual(['GOLD', 'USDX'])

    const [, trader] = node.accounts.map((a) => a.address) as [Address, Address]
    const receipt = await swapExactIn(
      node,
      deployment.router,
      trader,
      [tokens[1] as Address, tokens[0] as Address],
      10n ** 18n,
    )
    await until(async () => {
      const body = await get(`/v1/swaps?pool=${pair}`)
      return body.swaps.some((s: any) => s.txHash === receipt.transactionHash)
    })
    expect((await get(`/v1/pools/${pair}`)).pool.reserves).toEqual(await reserves())
  })
})
