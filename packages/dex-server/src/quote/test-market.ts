import {
  createEdrChain,
  type Deployment,
  deploySoba,
  deployUniswapV2,
  type EdrChain,
  TestToken,
} from '@soba/contracts'
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  custom,
  type Hex,
  maxUint256,
  type PublicClient,
  parseAbi,
  parseUnits,
} from 'viem'

/**
 * A small exchange on an in-process EDR chain for tests: our contracts (or the original Uniswap v2
 * bytecode), four test tokens with different decimals, and pools seeded from the first dev account.
 * Everything is sent through the node's unlocked accounts: tests never hold keys they do not need.
 */
export interface TestMarket {
  chain: EdrChain
  client: PublicClient
  deployment: Deployment
  /** Symbol → address. */
  tokens: Record<'TKA' | 'TKB' | 'TKC' | 'TKD', Address>
  accounts: Address[]
  send(
    from: Address,
    to: Address,
    abi: Abi,
    functionName: string,
    args: readonly unknown[],
    value?: bigint,
  ): Promise<Hex>
}

export const routerAbi = parseAbi([
  'function getAmountsOut(uint256 amountIn, address[] path) view returns (uint256[] amounts)',
  'function getAmountsIn(uint256 amountOut, address[] path) view returns (uint256[] amounts)',
  'function addLiquidity(address tokenA, address tokenB, uint256 amountADesired, uint256 amountBDesired, uint256 amountAMin, uint256 amountBMin, address to, uint256 deadline) returns (uint256 amountA, uint256 amountB, uint256 liquidity)',
  'function addLiquidityETH(address token, uint256 amountTokenDesired, uint256 amountTokenMin, uint256 amountETHMin, address to, uint256 deadline) payable returns (uint256 amountToken, uint256 amountETH, uint256 liquidity)',
])

const SPECS = [
  ['TKA', 18],
  ['TKB', 6],
  ['TKC', 18],
  ['TKD', 8],
] as const

// Pools (token, token, whole units each side): a chain A-B-C-D plus shortcuts, so 1-3 hop routes
// and pool-disjoint alternatives all exist.
const POOLS: Array<[keyof TestMarket['tokens'], keyof TestMarket['tokens'], number, number]> = [
  ['TKA', 'TKB', 1_000, 2_000],
  ['TKB', 'TKC', 5_000, 5_000],
  ['TKC', 'TKD', 3_000, 30],
  ['TKA', 'TKC', 400, 820],
  ['TKB', 'TKD', 700, 7],
]

export async function createTestMarket(
  options: { uniswap?: boolean; withWethPool?: boolean } = {},
): Promise<TestMarket> {
  const chain = await createEdrChain({ accounts: 4, allowBlocksWithSameTimestamp: true })
  const transport = custom(chain)
  const client = createPublicClient({ transport, pollingInterval: 20 }) as PublicClient
  const accounts = chain.accounts.map((a) => a.address)
  const deployer = accounts[0]!
  const wallet = createWalletClient({ transport, account: deployer })
  const deployment = await (options.uniswap ? deployUniswapV2 : deploySoba)(chain)

  const send: TestMarket['send'] = async (from, to, abi, functionName, args, value) => {
    const hash = await createWalletClient({ transport, account: from }).writeContract({
      address: to,
      abi,
      functionName,
      args,
      value,
      chain: null,
    } as any)
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 20 })
    if (receipt.status !== 'success') throw new Error(`${functionName} reverted`)
    return hash
  }

  const tokens = {} as TestMarket['tokens']
  const decimals = {} as Record<string, number>
  for (const [symbol, dec] of SPECS) {
    const hash = await wallet.deployContract({
      abi: TestToken.abi as Abi,
      bytecode: TestToken.bytecode,
      args: [symbol, symbol, dec, parseUnits('1000', dec)],
      chain: null,
    })
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 20 })
    tokens[symbol] = receipt.contractAddress!
    decimals[symbol] = dec
    for (const account of accounts) {
      await send(deployer, tokens[symbol], TestToken.abi as Abi, 'mint', [
        account,
        parseUnits('1000000', dec),
      ])
    }
    await send(deployer, tokens[symbol], TestToken.abi as Abi, 'approve', [deployment.router, maxUint256])
  }
  for (const [a, b, amountA, amountB] of POOLS) {
    await send(deployer, deployment.router, routerAbi, 'addLiquidity', [
      tokens[a],
      tokens[b],
      parseUnits(String(amountA), decimals[a]!),
      parseUnits(String(amountB), decimals[b]!),
      0n,
      0n,
      deployer,
      maxUint256,
    ])
  }
  if (options.withWethPool) {
    await send(
      deployer,
      deployment.router,
      routerAbi,
      'addLiquidityETH',
      [tokens.TKA, parseUnits('3000', 18), 0n, 0n, deployer, maxUint256],
      parseUnits('10', 18),
    )
  }
  return { chain, client, deployment, tokens, accounts, send }
}
