import { type Address, erc20Abi, type PublicClient } from 'viem'

export interface TokenBalance {
  token: Address
  /** null when the token contract did not answer balanceOf sanely (hostile or not an ERC-20). */
  balance: bigint | null
}

/** Native balance and ERC-20 balances of `owner`, all read at one block so they agree. */
export async function readBalances(
  client: PublicClient,
  owner: Address,
  tokens: readonly Address[],
): Promise<{ blockNumber: bigint; native: bigint; tokens: TokenBalance[] }> {
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 })
  const [native, balances] = await Promise.all([
    client.getBalance({ address: owner, blockNumber }),
    Promise.all(
      tokens.map(async (token) => ({
        token,
        balance: await client
          .readContract({
            address: token,
            abi: erc20Abi,
            functionName: 'balanceOf',
            args: [owner],
            blockNumber,
          })
          .catch(() => null),
      })),
    ),
  ])
  return { blockNumber, native, tokens: balances }
}

/** How much `spender` (the router, by default) may move of each token on behalf of `owner`. */
export async function readAllowances(
  client: PublicClient,
  owner: Address,
  spender: Address,
  tokens: readonly Address[],
): Promise<{ blockNumber: bigint; allowances: Array<{ token: Address; allowance: bigint | null }> }> {
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 })
  const allowances = await Promise.all(
    tokens.map(async (token) => ({
      token,
      allowance: await client
        .readContract({
          address: token,
          abi: erc20Abi,
          functionName: 'allowance',
          args: [owner, spender],
          blockNumber,
        })
        .catch(() => null),
    })),
  )
  return { blockNumber, allowances }
}
