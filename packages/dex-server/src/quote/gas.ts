/**
 * Gas per router call, measured on EDR with our SobaRouter in steady state (pair accumulators
 * already non-zero; a pair's first swap after it is created costs ~34k more):
 * swapExactTokensForTokens 97,153 / 150,436 / 203,651 for 1 / 2 / 3 hops, swapTokensForExactTokens
 * within 150 of that, swapExactETHForTokens 100,286 (1 hop), swapExactTokensForETH 111,514 (1 hop),
 * approve 46,462. Rounded up a little: it is an estimate for display, wallets still estimate.
 */
export const GAS_SWAP_BASE = 44_000n
export const GAS_PER_HOP = 53_500n
export const GAS_NATIVE_IN = 3_500n
export const GAS_NATIVE_OUT = 15_000n
export const GAS_APPROVE = 46_500n

export function swapGas(hops: number, native: 'in' | 'out' | undefined): bigint {
  const extra = native === 'in' ? GAS_NATIVE_IN : native === 'out' ? GAS_NATIVE_OUT : 0n
  return GAS_SWAP_BASE + GAS_PER_HOP * BigInt(hops) + extra
}
