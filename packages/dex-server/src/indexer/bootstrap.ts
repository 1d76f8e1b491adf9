import { SobaFactory, SobaPair } from '@soba/contracts'
import { type Abi, type Address, decodeFunctionResult, type Hex } from 'viem'
import { type Eip1193, toQuantity } from '../chain/rpc.js'
import { encodeCall } from '../chain/tx.js'
import { type BlockHeader, fetchHeaders, InconsistentFetchError } from './fetch.js'

/** A pair that existed at the snapshot block, with its state there. */
export interface PoolSnapshot {
  pair: Address
  token0: Address
  token1: Address
  reserve0: bigint
  reserve1: bigint
  totalSupply: bigint
}

export interface FactorySnapshot {
  /** The block the state was read at: the one before INDEXER_START_BLOCK. */
  block: BlockHeader
  pools: PoolSnapshot[]
}

const CONCURRENCY = 16

async function call<T>(rpc: Eip1193, to: string, abi: Abi, fn: string, args: unknown[], block: number) {
  const data = (await rpc.request({
    method: 'eth_call',
    params: [{ to, data: encodeCall(abi, fn, args) }, toQuantity(block)],
  })) as Hex
  return decodeFunctionResult({ abi, functionName: fn, data } as Parameters<
    typeof decodeFunctionResult
  >[0]) as T
}

/**
 * Every pair of the factory as it stood at `block` (its `allPairs`, each pair's tokens, reserves
 * and LP supply), for an index that starts after the factory was deployed: without it, pairs
 * created before the start block would never be followed. The block is pinned by hash before
 * and after the reads, so the snapshot belongs to one chain.
 */
export async function snapshotFactory(
  rpc: Eip1193,
  factory: string,
  block: number,
): Promise<FactorySnapshot> {
  const pinned = (await fetchHeaders(rpc, [block])).get(block) as BlockHeader
  const at = <T>(to: string, abi: Abi, fn: string, args: unknown[] = []) =>
    call<T>(rpc, to, abi, fn, args, block)
  const count = Number(await at<bigint>(factory, SobaFactory.abi as Abi, 'allPairsLength'))
  const pools: PoolSnapshot[] = []
  for (let i = 0; i < count; i += CONCURRENCY) {
    const indexes = Array.from({ length: Math.min(CONCURRENCY, count - i) }, (_, k) => BigInt(i + k))
    pools.push(
      ...(await Promise.all(
        indexes.map(async (index) => {
          const pair = (await at<Address>(factory, SobaFactory.abi as Abi, 'allPairs', [index])).toLowerCase()
          const pairAbi = SobaPair.abi as Abi
          const [token0, token1, reserves, totalSupply] = await Promise.all([
            at<Address>(pair, pairAbi, 'token0'),
            at<Address>(pair, pairAbi, 'token1'),
            at<readonly [bigint, bigint, number]>(pair, pairAbi, 'getReserves'),
            at<bigint>(pair, pairAbi, 'totalSupply'),
          ])
          return {
            pair: pair as Address,
            token0: token0.toLowerCase() as Address,
            token1: token1.toLowerCase() as Address,
            reserve0: reserves[0],
            reserve1: reserves[1],
            totalSupply,
          }
        }),
      )),
    )
  }
  const after = (await fetchHeaders(rpc, [block])).get(block)
  if (after?.hash !== pinned.hash)
    throw new InconsistentFetchError(`block ${block} changed while its pairs were read`)
  return { block: pinned, pools }
}
