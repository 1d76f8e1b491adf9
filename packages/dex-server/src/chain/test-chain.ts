import { createEdrChain, type EdrChain, SobaRouter, TestToken } from '@soba/contracts'
import { type Abi, type Address, encodeDeployData, maxUint256 } from 'viem'
import { type SeededMarket, seedMarket } from './seed.js'
import { encodeCall, execute } from './tx.js'

/** A fresh EDR chain (automine: a block per transaction) with the seeded Soba market. */
export async function seededTestChain(): Promise<{
  chain: EdrChain
  market: SeededMarket
  accounts: Address[]
}> {
  const chain = await createEdrChain({ allowBlocksWithSameTimestamp: true })
  const accounts = chain.accounts.map((a) => a.address)
  const market = await seedMarket(chain, accounts)
  return { chain, market, accounts }
}

export async function deployTestToken(
  chain: EdrChain,
  from: Address,
  symbol: string,
  decimals: number,
  holders: Address[],
  spender: Address,
): Promise<Address> {
  const data = encodeDeployData({
    abi: TestToken.abi as Abi,
    bytecode: TestToken.bytecode,
    args: [symbol, symbol, decimals, 0n],
  })
  const token = (await execute(chain, { from, data })).contractAddress as Address
  for (const holder of holders) {
    await execute(chain, {
      from,
      to: token,
      data: encodeCall(TestToken.abi as Abi, 'mint', [holder, 10n ** 40n]),
    })
    const approve = encodeCall(TestToken.abi as Abi, 'approve', [spender, maxUint256])
    await execute(chain, { from: holder, to: token, data: approve })
  }
  return token
}

/** Router02-compatible swapExactTokensForTokens (our router and Uniswap's share the ABI). */
export function swapExactIn(
  chain: EdrChain,
  router: Address,
  from: Address,
  path: Address[],
  amountIn: bigint,
) {
  const data = encodeCall(SobaRouter.abi as Abi, 'swapExactTokensForTokens', [
    amountIn,
    0n,
    path,
    from,
    2n ** 64n,
  ])
  return execute(chain, { from, to: router, data })
}

export function addLiquidity(
  chain: EdrChain,
  router: Address,
  from: Address,
  a: Address,
  b: Address,
  amountA: bigint,
  amountB: bigint,
) {
  const data = encodeCall(SobaRouter.abi as Abi, 'addLiquidity', [
    a,
    b,
    amountA,
    amountB,
    0n,
    0n,
    from,
    2n ** 64n,
  ])
  return execute(chain, { from, to: router, data })
}
