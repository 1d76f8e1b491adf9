import { type Address, type PublicClient, parseAbi } from 'viem'

const pairAbi = parseAbi([
  'function balanceOf(address) view returns (uint256)',
  'function totalSupply() view returns (uint256)',
  'function getReserves() view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast)',
])

export interface PoolRef {
  address: Address
  token0: Address
  token1: Address
}

export interface LpPosition {
  pool: Address
  token0: Address
  token1: Address
  liquidity: bigint
  totalSupply: bigint
  /** The owner's share of the pool, ppm. */
  sharePpm: bigint
  /** What burning the whole position would pay out now. */
  amount0: bigint
  amount1: bigint
}

/**
 * LP positions of `owner` in the given pools, read live at one block: balance, share of supply, and
 * the underlying amounts burn() would pay (balance × reserve / supply, as the pair computes it).
 * Callers narrow `pools` to candidates (the indexer's LP transfers) so this stays a few reads.
 */
export async function readPositions(
  client: PublicClient,
  owner: Address,
  pools: readonly PoolRef[],
): Promise<{ blockNumber: bigint; positions: LpPosition[] }> {
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 })
  const read = <T>(
    address: Address,
    functionName: 'balanceOf' | 'totalSupply' | 'getReserves',
    args: readonly unknown[] = [],
  ) => client.readContract({ address, abi: pairAbi, functionName, args, blockNumber } as any) as Promise<T>
  const rows = await Promise.all(
    pools.map(async (pool) => {
      const liquidity = await read<bigint>(pool.address, 'balanceOf', [owner])
      if (liquidity === 0n) return undefined
      const [totalSupply, [reserve0, reserve1]] = await Promise.all([
        read<bigint>(pool.address, 'totalSupply'),
        read<readonly [bigint, bigint, number]>(pool.address, 'getReserves'),
      ])
      return {
        pool: pool.address,
        token0: pool.token0,
        token1: pool.token1,
        liquidity,
        totalSupply,
        sharePpm: (liquidity * 1_000_000n) / totalSupply,
        amount0: (liquidity * reserve0) / totalSupply,
        amount1: (liquidity * reserve1) / totalSupply,
      }
    }),
  )
  return { blockNumber, positions: rows.filter((p): p is LpPosition => p !== undefined) }
}
