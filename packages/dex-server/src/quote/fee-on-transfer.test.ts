import { createApp } from '@platform/service-kit/http'
import { type EdrChain, FeeOnTransferToken } from '@soba/contracts'
import {
  type Abi,
  type Address,
  createPublicClient,
  custom,
  encodeDeployData,
  erc20Abi,
  maxUint256,
} from 'viem'
import { beforeAll, describe, expect, it } from 'vitest'
import { addLiquidity, seededTestChain } from '../chain/test-chain.js'
import { encodeCall, execute } from '../chain/tx.js'
import { readPoolsFromChain } from '../router/chain-pools.js'
import { staticPools } from '../router/graph-source.js'
import { quoteRoutes } from './routes.js'

let chain: EdrChain
let market: Awaited<ReturnType<typeof seededTestChain>>['market']
let accounts: Address[]
let fot: Address
const E18 = 10n ** 18n

const token = (symbol: string) => market.tokens.find((t) => t.symbol === symbol)?.address as Address

beforeAll(async () => {
  ;({ chain, market, accounts } = await seededTestChain())
  const [seeder, trader] = accounts as [Address, Address]
  const deploy = encodeDeployData({
    abi: FeeOnTransferToken.abi as Abi,
    bytecode: FeeOnTransferToken.bytecode,
    args: ['Taxed', 'TAX', 100n], // 1% of every transfer burnt
  })
  fot = (await execute(chain, { from: seeder, data: deploy })).contractAddress as Address
  for (const holder of [seeder, trader]) {
    await execute(chain, {
      from: seeder,
      to: fot,
      data: encodeCall(FeeOnTransferToken.abi as Abi, 'mint', [holder, 10n ** 30n]),
    })
    await execute(chain, {
      from: holder,
      to: fot,
      data: encodeCall(erc20Abi, 'approve', [market.deployment.router, maxUint256]),
    })
  }
  await addLiquidity(
    chain,
    market.deployment.router,
    seeder,
    fot,
    token('WETH'),
    1_000_000n * E18,
    500n * E18,
  )
})

async function quoteApp() {
  const client = createPublicClient({ transport: custom(chain) })
  const pools = await readPoolsFromChain(client, market.deployment.factory)
  const app = await createApp({ service: 'dex-fot-test', openapi: { title: 'test' } })
  await app.register(async (scope) =>
    quoteRoutes(scope as any, {
      registry: staticPools(pools),
      chain: { chainId: chain.chainId, rpc: chain, contracts: market.deployment },
    }),
  )
  await app.ready()
  return app
}

const balanceOf = async (tokenAddress: Address, owner: Address) =>
  createPublicClient({ transport: custom(chain) }).readContract({
    address: tokenAddress,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [owner],
  })

/** Quotes with the trader as recipient, sends every transaction, and returns the quote and what arrived. */
async function quoteAndSwap(tokenIn: Address, tokenOut: Address, amountIn: bigint) {
  const trader = accounts[1] as Address
  const app = await quoteApp()
  const res = await app.inject({
    method: 'GET',
    url: '/v1/quote',
    query: { tokenIn, tokenOut, amountIn: amountIn.toString(), recipient: trader, split: 'true' },
  })
  await app.close()
  expect(res.statusCode).toBe(200)
  const body = res.json()
  const before = await balanceOf(tokenOut, trader)
  for (const { tx } of body.transactions) await execute(chain, { from: trader, to: tx.to, data: tx.data })
  return { body, received: (await balanceOf(tokenOut, trader)) - before }
}

describe('fee-on-transfer tokens', () => {
  it('sells a taxed token: quoted net of the tax, executed by the fee-supporting call, and delivered as quoted', async () => {
    const { body, received } = await quoteAndSwap(fot, token('USDC'), 1_000n * E18)
    expect(body.route).toEqual(
      [fot, token('WETH'), token('USDC')].map((a) => expect.stringMatching(new RegExp(a, 'i'))),
    )
    expect(body.split).toBe(false)
    expect(received).toBe(BigInt(body.amountOut))
    expect(received).toBeGreaterThanOrEqual(BigInt(body.minimumReceived))
  })

  it('buys a taxed token: the quote is what arrives after the tax, never less than minimumReceived', async () => {
    const { body, received } = await quoteAndSwap(token('USDC'), fot, 1_000n * 10n ** 6n)
    expect(received).toBe(BigInt(body.amountOut))
    expect(received).toBeGreaterThanOrEqual(BigInt(body.minimumReceived))
  })

  it('refuses an exact-output quote through a taxed token with a stable code', async () => {
    const app = await quoteApp()
    const res = await app.inject({
      method: 'GET',
      url: '/v1/quote',
      query: { tokenIn: token('WETH'), tokenOut: fot, amountOut: (10n * E18).toString() },
    })
    await app.close()
    expect(res.statusCode).toBe(422)
    expect(res.json().code).toBe('fee_on_transfer_exact_out')
  })
})
