/**
 * Gas per operation: Soba contracts (compiled here, solc 0.8.37) against the original
 * Uniswap v2 bytecode from npm, deployed side by side on one in-process EDR chain.
 * Both exchanges trade the same token contracts with the same amounts in the same
 * order, so calldata is identical and only the contracts differ. Each figure is the
 * receipt's gasUsed of the transaction (21,000 base and calldata included).
 *
 *   npx tsx bench/gas.ts                  (the default, Cancun build)
 *   npx tsx bench/gas.ts --build paris    (the build for chains without Cancun: storage lock)
 */
import { pathToFileURL } from 'node:url'
import {
  createEdrChain,
  type Deployment,
  deploySoba,
  deployUniswapV2,
  type SobaBuild,
  SobaFactory,
  SobaPair,
  SobaRouter,
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
} from 'viem'

export interface GasRow {
  operation: string
  soba: bigint
  uniswap: bigint
  /** soba / uniswap */
  ratio: number
}

export interface GasBenchResult {
  rows: GasRow[]
  /** Highest ratio over the swap rows (the +5% target applies to these). */
  worstSwapRatio: number
}

const E18 = 10n ** 18n
const DEADLINE = 2n ** 40n

export async function run(build: SobaBuild = 'cancun'): Promise<GasBenchResult> {
  const chain = await createEdrChain({ accounts: 1 })
  const transport = custom(chain)
  const publicClient = createPublicClient({ transport })
  const me = chain.accounts[0]!.address
  const wallet = createWalletClient({ transport, account: me })

  async function send(address: Address, abi: Abi, functionName: string, args: unknown[], value?: bigint) {
    const hash = await wallet.writeContract({ address, abi, functionName, args, value, chain: null })
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 10 })
    if (receipt.status !== 'success') throw new Error(`${functionName} reverted`)
    return receipt.gasUsed
  }
  async function deployToken(symbol: string): Promise<Address> {
    const hash = await wallet.deployContract({
      abi: TestToken.abi,
      bytecode: TestToken.bytecode as Hex,
      args: [symbol, symbol, 18, 0n],
      chain: null,
    })
    return (await publicClient.waitForTransactionReceipt({ hash })).contractAddress!
  }

  const soba = await deploySoba(chain, { build })
  const uniswap = await deployUniswapV2(chain)
  const [a, b, c] = [await deployToken('A'), await deployToken('B'), await deployToken('C')]
  for (const token of [a, b, c]) {
    await send(token, TestToken.abi, 'mint', [me, 10n ** 9n * E18])
    for (const spender of [soba.router, uniswap.router]) {
      await send(token, TestToken.abi, 'approve', [spender, maxUint256])
    }
  }

  // Same ABI on both sides (that is the point), so our ABIs drive the Uniswap contracts too.
  async function measure(d: Deployment): Promise<Map<string, bigint>> {
    const gas = new Map<string, bigint>()
    const r = (fn: string, args: unknown[], value?: bigint) => send(d.router, SobaRouter.abi, fn, args, value)
    gas.set('createPair', await send(d.factory, SobaFactory.abi, 'createPair', [a, b]))
    await send(d.factory, SobaFactory.abi, 'createPair', [b, c])
    gas.set(
      'addLiquidity (first, mints MINIMUM_LIQUIDITY)',
      await r('addLiquidity', [a, b, 1000n * E18, 4000n * E18, 0n, 0n, me, DEADLINE]),
    )
    await r('addLiquidity', [b, c, 1000n * E18, 1000n * E18, 0n, 0n, me, DEADLINE])
    gas.set('addLiquidity', await r('addLiquidity', [a, b, 10n * E18, 40n * E18, 0n, 0n, me, DEADLINE]))
    // One warm-up swap per pool so every figure below is a steady-state trade
    // (price accumulators already non-zero), as on a live pool.
    await r('swapExactTokensForTokens', [E18, 0n, [a, b], me, DEADLINE])
    await r('swapExactTokensForTokens', [E18, 0n, [b, c], me, DEADLINE])
    gas.set('swap 1-hop exact in', await r('swapExactTokensForTokens', [E18, 0n, [a, b], me, DEADLINE]))
    gas.set(
      'swap 1-hop exact out',
      await r('swapTokensForExactTokens', [E18, maxUint256, [b, a], me, DEADLINE]),
    )
    gas.set('swap 2-hop exact in', await r('swapExactTokensForTokens', [E18, 0n, [a, b, c], me, DEADLINE]))
    gas.set(
      'swap 2-hop exact out',
      await r('swapTokensForExactTokens', [E18, maxUint256, [c, b, a], me, DEADLINE]),
    )
    await r('addLiquidityETH', [a, 1000n * E18, 0n, 0n, me, DEADLINE], 10n * E18)
    await r('swapExactETHForTokens', [0n, [d.weth, a], me, DEADLINE], E18 / 100n) // warm-up
    gas.set(
      'swap ETH -> token',
      await r('swapExactETHForTokens', [0n, [d.weth, a], me, DEADLINE], E18 / 100n),
    )
    gas.set('swap token -> ETH', await r('swapExactTokensForETH', [E18, 0n, [a, d.weth], me, DEADLINE]))
    const pair = (await publicClient.readContract({
      address: d.factory,
      abi: SobaFactory.abi,
      functionName: 'getPair',
      args: [a, b],
    })) as Address
    await send(pair, SobaPair.abi, 'approve', [d.router, maxUint256])
    gas.set('removeLiquidity', await r('removeLiquidity', [a, b, E18, 0n, 0n, me, DEADLINE]))
    return gas
  }

  const ours = await measure(soba)
  const theirs = await measure(uniswap)
  const rows: GasRow[] = [...ours].map(([operation, sobaGas]) => {
    const uniswapGas = theirs.get(operation)!
    return { operation, soba: sobaGas, uniswap: uniswapGas, ratio: Number(sobaGas) / Number(uniswapGas) }
  })
  const worstSwapRatio = Math.max(
    ...rows.filter((row) => row.operation.startsWith('swap')).map((row) => row.ratio),
  )
  return { rows, worstSwapRatio }
}

export function formatTable(result: GasBenchResult): string {
  const lines = [
    '| operation | Soba (solc 0.8.37) | Uniswap v2 (npm bytecode) | Soba / Uniswap |',
    '|---|---:|---:|---:|',
  ]
  for (const row of result.rows) {
    const delta = ((row.ratio - 1) * 100).toFixed(1)
    lines.push(
      `| ${row.operation} | ${row.soba} | ${row.uniswap} | ${row.ratio.toFixed(3)} (${row.ratio >= 1 ? '+' : ''}${delta}%) |`,
    )
  }
  lines.push('', `worst swap ratio: ${result.worstSwapRatio.toFixed(3)} (target <= 1.050)`)
  return lines.join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const build = process.argv.includes('--build')
    ? process.argv[process.argv.indexOf('--build') + 1]
    : 'cancun'
  if (build !== 'cancun' && build !== 'paris') throw new Error(`unknown build ${build}: cancun or paris`)
  const result = await run(build)
  console.log(`${build} build`)
  console.log(formatTable(result))
  if (result.worstSwapRatio > 1.05) process.exitCode = 1
}
