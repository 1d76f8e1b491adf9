// The differential harness: the same operations on a Soba market and on a Uniswap v2 market
// (two chains, same block timestamps), with router results, revert reasons and the whole
// observable state compared after every step.
import { expect } from 'vitest'
import type { Market, Op, Outcome } from './market.js'

export const show = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}` : v))

/** Applies `ops` in order to both markets; fails at the first step where they differ.
 *  Returns Soba's outcomes (equal to Uniswap's by then). */
export async function replayOnBoth(
  soba: Market,
  uniswap: Market,
  ops: readonly Op[],
  replay: string,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = []
  for (const [step, op] of ops.entries()) {
    const where = `step ${step} ${show(op)} (${replay})`
    const ours = await soba.apply(op)
    const theirs = await uniswap.apply(op)
    expect(show(ours), where).toBe(show(theirs))
    expect(show(await soba.state()), where).toBe(show(await uniswap.state()))
    outcomes.push(ours)
  }
  return outcomes
}
