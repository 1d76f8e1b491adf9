import type { Address, PublicClient } from 'viem'
import { parseAbi } from 'viem'
import type { PoolState } from './graph.js'

const factoryAbi = parseAbi([
  'function allPairsLength() view returns (uint256)',
  'function allPairs(uint256) view returns (address)',
])
const pairAbi = parseAbi([
  'function token0() view returns (address)',
  'function token1() view returns (address)',
  'function getReserves() view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast)',
  'function totalSupply() view returns (uint256)',
])

/**
 * Every pool of a Uniswap-v2-compatible factory with its reserves, read straight from the chain at
 * one block. The indexer's registry is the normal source; this one needs nothing but RPC, so the
 * router can be checked against any deployment (ours or the original Uniswap v2 bytecode).
 */
export async function readPoolsFromChain(
  client: PublicClient,
  factory: Address,
  blockNumber?: bigint,
): Promise<PoolState[]> {
  const at = blockNumber ?? (await client.getBlockNumber({ cacheTime: 0 }))
  const count = await client.readContract({
    address: factory,
    abi: factoryAbi,
    functionName: 'allPairsLength',
    blockNumber: at,
  })
  const pairs = await Promise.all(
    Array.from({ length: Number(count) }, (_, i) =>
      client.readContract({
        address: factory,
        abi: factoryAbi,
        functionName: 'allPairs',
        args: [BigInt(i)],
        blockNumber: at,
      }),
    ),
  )
  return Promise.all(
    pairs.map(async (address) => {
      const [token0, token1, [reserve0, reserve1], totalSupply] = await Promise.all([
        client.readContract({ address, abi: pairAbi, functionName: 'token0', blockNumber: at }),
        client.readContract({ address, abi: pairAbi, functionName: 'token1', blockNumber: at }),
        client.readContract({ address, abi: pairAbi, functionName: 'getReserves', blockNumber: at }),
        client.readContract({ address, abi: pairAbi, functionName: 'totalSupply', blockNumber: at }),
      ])
      return { address, token0, token1, reserve0, reserve1, totalSupply }
    }),
  )
}
