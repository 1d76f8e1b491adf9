import { SobaFactory } from '@soba/contracts'
import type { Abi, Address } from 'viem'
import type { Eip1193 } from '../chain/rpc.js'
import { readContract } from '../chain/tx.js'

/**
 * With the factory's `feeTo` set, a v2 pair mints 1/6 of its fee growth to the protocol (0.05% of
 * the 0.30%), so liquidity providers earn 5/6 of the swap fees. The share is this fraction.
 */
export const LP_SHARE_WITH_PROTOCOL_FEE = { numerator: 5n, denominator: 6n } as const

const ZERO = '0x0000000000000000000000000000000000000000'

/**
 * Whether the factory's protocol fee is on, read from `feeTo()` and kept for `ttlMs`: v2 emits no
 * event when the fee switch changes, so the answer can only be polled. A failed read keeps the last
 * answer (or reports the fee off until one succeeds).
 */
export function protocolFeeReader(rpc: Eip1193, factory: Address, ttlMs = 60_000): () => Promise<boolean> {
  let cached: { on: boolean; at: number } | null = null
  return async () => {
    if (cached && Date.now() - cached.at < ttlMs) return cached.on
    try {
      const feeTo = await readContract<Address>(rpc, factory, SobaFactory.abi as Abi, 'feeTo')
      cached = { on: feeTo.toLowerCase() !== ZERO, at: Date.now() }
    } catch {
      if (cached === null) return false
    }
    return cached.on
  }
}
