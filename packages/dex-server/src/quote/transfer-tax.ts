import { TransferTaxMeter, TransferTaxProbe } from '@soba/contracts'
import { type Abi, type Address, decodeErrorResult, encodeDeployData, type Hex } from 'viem'
import type { Eip1193Like } from '../wallet/chain-client.js'

/** A token's tax on transfers, in basis points of the amount sent (0n for a plain ERC-20). */
export interface TransferTax {
  /** On a transfer out of a pool (what a buyer, or the next pool of a route, receives). */
  outBps: bigint
  /** On a transfer into a pool (what a seller's tokens are worth to the pool). */
  inBps: bigint
}

export const NO_TAX: TransferTax = { outBps: 0n, inBps: 0n }

/** What arrives of `amount` after a tax of `bps` (the tax rounds down, as token contracts do). */
export const afterTax = (amount: bigint, bps: bigint): bigint => amount - (amount * bps) / 10_000n

/**
 * Measures `token`'s transfer tax against one of its v2 pools with an eth_call of the
 * TransferTaxProbe creation code (nothing is deployed or signed). The probe borrows a thousandth
 * of the pool's reserve and reverts with what moved; a token whose transfers revert is reported
 * as an error (it cannot be traded anyway).
 */
export async function measureTransferTax(
  rpc: Eip1193Like,
  pool: { address: Address; token0: Address; reserve0: bigint; reserve1: bigint },
  token: Address,
): Promise<TransferTax> {
  const isToken0 = pool.token0.toLowerCase() === token.toLowerCase()
  const reserve = isToken0 ? pool.reserve0 : pool.reserve1
  const amount = reserve / 1000n > 0n ? reserve / 1000n : 1n
  const data = encodeDeployData({
    abi: TransferTaxProbe.abi as Abi,
    bytecode: TransferTaxProbe.bytecode,
    args: [pool.address, token, amount, isToken0],
  })
  let revertData: Hex | undefined
  try {
    await rpc.request({ method: 'eth_call', params: [{ data }, 'latest'] })
  } catch (error) {
    revertData = revertDataOf(error)
  }
  if (!revertData) throw new Error(`the transfer tax probe of ${token} did not report (transfers may revert)`)
  const decoded = decodeErrorResult({ abi: TransferTaxMeter.abi as Abi, data: revertData })
  const [sent, received, returned] = decoded.args as readonly [bigint, bigint, bigint]
  return {
    outBps: sent === 0n ? 0n : ((sent - received) * 10_000n) / sent,
    inBps: received === 0n ? 0n : ((received - returned) * 10_000n) / received,
  }
}

/** The revert data of a failed eth_call, wherever the transport put it (EDR, viem's RpcRequestError). */
function revertDataOf(error: unknown): Hex | undefined {
  for (let e = error as { data?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    const data = typeof e.data === 'object' && e.data !== null ? (e.data as { data?: unknown }).data : e.data
    if (typeof data === 'string' && data.startsWith('0x') && data.length >= 10) return data as Hex
  }
  return undefined
}

/** A pool that holds a token, for measuring it. */
export interface TaxProbePool {
  address: Address
  token0: Address
  reserve0: bigint
  reserve1: bigint
}

/**
 * Transfer taxes by token, measured once per token on first use and kept for the process (a tax
 * can change only by an upgradeable token's owner; restarting re-measures).
 */
export class TransferTaxes {
  /** Measured taxes by lower-cased address: read synchronously while a quote is priced. */
  readonly measured = new Map<string, TransferTax>()
  private readonly pending = new Map<string, Promise<void>>()

  constructor(private readonly rpc: Eip1193Like) {}

  /** Measures the tokens not measured yet, each against a pool that holds it. */
  async measure(needs: Array<{ token: Address; pool: TaxProbePool }>): Promise<void> {
    await Promise.all(
      needs.map(({ token, pool }) => {
        const key = token.toLowerCase()
        if (this.measured.has(key)) return undefined
        let pending = this.pending.get(key)
        if (!pending) {
          pending = measureTransferTax(this.rpc, pool, token)
            .then((tax) => void this.measured.set(key, tax))
            // A failed probe (an RPC hiccup, a token whose transfers revert) is retried next time.
            .finally(() => this.pending.delete(key))
          this.pending.set(key, pending)
        }
        return pending
      }),
    )
  }
}
