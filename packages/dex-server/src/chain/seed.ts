import { type Deployment, deploySoba, SobaRouter, TestToken, WETH9 } from '@soba/contracts'
import { type Abi, type Address, encodeDeployData, maxUint256, parseUnits } from 'viem'
import { MEAN_REVERTING_POOL, MEAN_REVERTING_TOKEN } from '../simulator/mean-reverting.js'
import type { Eip1193 } from './rpc.js'
import { encodeCall, execute } from './tx.js'

export interface SeedToken {
  address: Address
  symbol: string
  name: string
  decimals: number
  /** Starting reference price in USD; the simulator's random walk starts here. */
  usd: number
}

export interface SeededMarket {
  deployment: Deployment
  tokens: SeedToken[]
  pools: Array<[string, string]>
}

const TEST_TOKENS = [
  { symbol: 'USDC', name: 'USD Coin', decimals: 6, usd: 1 },
  { symbol: 'DAI', name: 'Dai Stablecoin', decimals: 18, usd: 1 },
  { symbol: 'WBTC', name: 'Wrapped BTC', decimals: 8, usd: 60_000 },
  { symbol: 'SOBA', name: 'Soba', decimals: 18, usd: 0.5 },
  MEAN_REVERTING_TOKEN,
] as const

/** Seed pools and the USD value deposited on each side. */
const POOLS: Array<[string, string, number]> = [
  ['WETH', 'USDC', 2_000_000],
  ['WETH', 'DAI', 1_000_000],
  ['WBTC', 'WETH', 1_500_000],
  ['USDC', 'DAI', 500_000],
  ['WBTC', 'USDC', 1_000_000],
  ['SOBA', 'WETH', 200_000],
  ['SOBA', 'USDC', 150_000],
  MEAN_REVERTING_POOL,
]

const WETH_USD = 3_000
/** What each dev account gets of every test token, in USD, so traders never run dry. */
const ACCOUNT_USD = 50_000_000
const ACCOUNT_WETH = 1_000n * 10n ** 18n
const SEEDER_WETH = 3_000n * 10n ** 18n
const FAR_DEADLINE = 2n ** 64n

export const units = (usd: number, price: number, decimals: number): bigint =>
  parseUnits((usd / price).toFixed(Math.min(decimals, 12)), decimals)

/**
 * Deploys the exchange and the test tokens, funds every dev account (tokens, WETH, router
 * approvals) and seeds the pools from the first account. Runs with automine on.
 */
export async function seedMarket(rpc: Eip1193, accounts: readonly Address[]): Promise<SeededMarket> {
  const deployment = await deploySoba(rpc)
  const [seeder] = accounts
  if (seeder === undefined) throw new Error('no dev account to seed from')
  const tokens: SeedToken[] = [
    { address: deployment.weth, symbol: 'WETH', name: 'Wrapped Ether', decimals: 18, usd: WETH_USD },
  ]
  for (const t of TEST_TOKENS) {
    const data = encodeDeployData({
      abi: TestToken.abi as Abi,
      bytecode: TestToken.bytecode,
      args: [t.name, t.symbol, t.decimals, parseUnits('1000', t.decimals)],
    })
    const receipt = await execute(rpc, { from: seeder, data })
    tokens.push({ ...t, address: receipt.contractAddress as Address })
  }
  for (const account of accounts) {
    for (const token of tokens.slice(1)) {
      const data = encodeCall(TestToken.abi as Abi, 'mint', [
        account,
        units(ACCOUNT_USD, token.usd, token.decimals),
      ])
      await execute(rpc, { from: seeder, to: token.address, data })
    }
    const weth = account === seeder ? SEEDER_WETH : ACCOUNT_WETH
    await execute(rpc, {
      from: account,
      to: deployment.weth,
      data: encodeCall(WETH9.abi as Abi, 'deposit'),
      value: weth,
    })
    for (const token of tokens) {
      const data = encodeCall(TestToken.abi as Abi, 'approve', [deployment.router, maxUint256])
      await execute(rpc, { from: account, to: token.address, data })
    }
  }
  const bySymbol = new Map(tokens.map((t) => [t.symbol, t]))
  for (const [a, b, usd] of POOLS) {
    const ta = bySymbol.get(a) as SeedToken
    const tb = bySymbol.get(b) as SeedToken
    const data = encodeCall(SobaRouter.abi as Abi, 'addLiquidity', [
      ta.address,
      tb.address,
      units(usd, ta.usd, ta.decimals),
      units(usd, tb.usd, tb.decimals),
      0n,
      0n,
      seeder,
      FAR_DEADLINE,
    ])
    await execute(rpc, { from: seeder, to: deployment.router, data })
  }
  return { deployment, tokens, pools: POOLS.map(([a, b]) => [a, b]) }
}
