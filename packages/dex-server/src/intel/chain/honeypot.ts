import { HoneypotProbe } from '@soba/contracts'
import { type Abi, type Address, decodeFunctionResult, type Hex } from 'viem'
import type { Eip1193 } from '../../chain/rpc.js'
import { encodeCall } from '../../chain/tx.js'

/** A scratch address no real account uses: the probe's code and ETH exist there only inside the call. */
const PROBE_ADDRESS = '0x00000000000000000000000000000000000b0b05'
/** A sell keeping less than half of what the pool promised is treated as a trap, not a tax. */
export const HONEYPOT_SELL_TAX_BPS = 5_000

export interface HoneypotCheck {
  pool: string
  /** WETH spent on the simulated buy (wei). */
  amountIn: string
  buyOk: boolean
  sellOk: boolean
  /** Effective taxes in basis points: 1 − received / what the constant-product formula promised. */
  buyTaxBps: number | null
  sellTaxBps: number | null
  honeypot: boolean
  reason: 'sell_reverts' | 'sell_tax' | 'buy_reverts' | null
}

let probeRuntime: Promise<Hex> | null = null

/** The probe's runtime code: its creation code run in an eth_call returns it (never deployed). */
function runtimeCode(rpc: Eip1193): Promise<Hex> {
  probeRuntime ??= rpc
    .request({ method: 'eth_call', params: [{ data: HoneypotProbe.bytecode }, 'latest'] })
    .then((code) => code as Hex)
  probeRuntime.catch(() => {
    probeRuntime = null
  })
  return probeRuntime
}

const taxBps = (expected: bigint, received: bigint) =>
  expected === 0n ? null : Number(((expected - received) * 10_000n) / expected)

/**
 * Buys `token` with WETH from `pool` and sells it straight back, inside one eth_call against the
 * latest state (the probe's code and ETH come from a state override, so nothing is sent).
 */
export async function checkHoneypot(
  rpc: Eip1193,
  target: { token: Address; weth: Address; pool: Address; wethReserve: bigint },
): Promise<HoneypotCheck> {
  // A small trade (0.1% of the WETH side, at most 1 WETH) keeps price impact out of the taxes.
  const amountIn = [target.wethReserve / 1000n, 10n ** 18n].reduce((a, b) => (a < b ? a : b))
  const data = encodeCall(HoneypotProbe.abi as Abi, 'probe', [
    target.pool,
    target.weth,
    target.token,
    amountIn,
  ])
  const balance = `0x${(amountIn * 2n).toString(16)}`
  const result = (await rpc.request({
    method: 'eth_call',
    params: [
      { to: PROBE_ADDRESS, data, gas: '0xf42400' },
      'latest',
      { [PROBE_ADDRESS]: { code: await runtimeCode(rpc), balance } },
    ],
  })) as Hex
  const [buyOk, expectedBuy, bought, sellOk, expectedSell, sold] = decodeFunctionResult({
    abi: HoneypotProbe.abi as Abi,
    functionName: 'probe',
    data: result,
  }) as readonly [boolean, bigint, bigint, boolean, bigint, bigint]
  const buyTaxBps = buyOk ? taxBps(expectedBuy, bought) : null
  const sellTaxBps = sellOk ? taxBps(expectedSell, sold) : null
  const reason = !buyOk
    ? 'buy_reverts'
    : !sellOk
      ? 'sell_reverts'
      : (sellTaxBps ?? 0) >= HONEYPOT_SELL_TAX_BPS
        ? 'sell_tax'
        : null
  return {
    pool: target.pool,
    amountIn: amountIn.toString(),
    buyOk,
    sellOk,
    buyTaxBps,
    sellTaxBps,
    honeypot: reason === 'sell_reverts' || reason === 'sell_tax',
    reason,
  }
}
