import { getAmountsIn, getAmountsOut, type HopReserves } from './amounts.js'

/**
 * Optimal division of one trade across two pool-disjoint routes.
 *
 * Without the floor divisions, a chain of v2 hops behaves like one v2 pool with the same 0.30% fee
 * and "virtual" reserves (Ea, Eb): out(x) = 997·Eb·x / (1000·Ea + 997·x). Composing a hop (R0, R1)
 * after (Ea, Eb) gives Ea' = 1000·Ea·R0 / (1000·R0 + 997·Eb) and Eb' = 997·Eb·R1 / (1000·R0 + 997·Eb).
 * Kept as integers over a common denominator d, so the search is exact rational arithmetic.
 * Setting the marginal outputs of both routes equal then has a closed form (one integer square
 * root each); the chosen amounts are re-evaluated with the contracts' floor math.
 */
interface VirtualPool {
  a: bigint
  b: bigint
  d: bigint
}

function virtualPool(hops: readonly HopReserves[]): VirtualPool {
  let a = hops[0]!.reserveIn
  let b = hops[0]!.reserveOut
  let d = 1n
  for (let i = 1; i < hops.length; i++) {
    const { reserveIn, reserveOut } = hops[i]!
    const next = 1000n * reserveIn * d + 997n * b
    a = 1000n * a * reserveIn
    b = 997n * b * reserveOut
    d = next
  }
  return { a, b, d }
}

/** floor(sqrt(n)) by Newton's method on bigints. */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('square root of a negative number')
  if (n < 2n) return n
  let x = BigInt(Math.floor(Math.sqrt(Number(n))))
  // The float guess may be off by a lot for huge n; Newton from above converges monotonically.
  if (x * x <= n) x = x + 1n
  for (;;) {
    const y = (x + n / x) >> 1n
    if (y >= x) break
    x = y
  }
  while (x * x > n) x--
  return x
}

// Scales square roots to keep ~64 extra bits of precision before the final division.
const SCALE2 = 1n << 128n

function clamp(x: bigint, lo: bigint, hi: bigint): bigint {
  return x < lo ? lo : x > hi ? hi : x
}

export interface SplitIn {
  amountIn1: bigint
  amountIn2: bigint
  amounts1: bigint[]
  amounts2: bigint[]
  amountOut: bigint
}

/** Split `amountIn` between routes 1 and 2 to maximise the exact total output. */
export function splitExactIn(
  amountIn: bigint,
  route1: readonly HopReserves[],
  route2: readonly HopReserves[],
): SplitIn | undefined {
  const p = virtualPool(route1)
  const q = virtualPool(route2)
  const r1 = isqrt(p.a * p.b * SCALE2)
  const r2 = isqrt(q.a * q.b * SCALE2)
  // x1 = (s1·(1000·Ea2 + 997·A) − 1000·s2·Ea1) / (997·(s1 + s2)), s = sqrt(Ea·Eb), all over common denominators.
  const num = r1 * (1000n * q.a + 997n * amountIn * q.d) - 1000n * r2 * p.a
  const den = 997n * (r1 * q.d + r2 * p.d)
  if (den === 0n) return undefined
  const x1 = clamp(num / den, 0n, amountIn)
  const x2 = amountIn - x1
  if (x1 === 0n || x2 === 0n) return undefined
  const amounts1 = safe(() => getAmountsOut(x1, route1))
  const amounts2 = safe(() => getAmountsOut(x2, route2))
  if (!amounts1 || !amounts2) return undefined
  const out1 = amounts1[amounts1.length - 1]!
  const out2 = amounts2[amounts2.length - 1]!
  if (out1 === 0n || out2 === 0n) return undefined
  return { amountIn1: x1, amountIn2: x2, amounts1, amounts2, amountOut: out1 + out2 }
}

export interface SplitOut {
  amountOut1: bigint
  amountOut2: bigint
  amounts1: bigint[]
  amounts2: bigint[]
  amountIn: bigint
}

/** Split an exact `amountOut` between routes 1 and 2 to minimise the exact total input. */
export function splitExactOut(
  amountOut: bigint,
  route1: readonly HopReserves[],
  route2: readonly HopReserves[],
): SplitOut | undefined {
  const p = virtualPool(route1)
  const q = virtualPool(route2)
  const r1 = isqrt(p.a * p.b * SCALE2)
  const r2 = isqrt(q.a * q.b * SCALE2)
  // y1 = (s2·Eb1 − s1·(Eb2 − B)) / (s1 + s2), over common denominators.
  const num = r2 * p.b - r1 * (q.b - amountOut * q.d)
  const den = r1 * q.d + r2 * p.d
  if (den === 0n) return undefined
  const y1 = clamp(num / den, 0n, amountOut)
  const y2 = amountOut - y1
  if (y1 === 0n || y2 === 0n) return undefined
  const amounts1 = safe(() => getAmountsIn(y1, route1))
  const amounts2 = safe(() => getAmountsIn(y2, route2))
  if (!amounts1 || !amounts2) return undefined
  return { amountOut1: y1, amountOut2: y2, amounts1, amounts2, amountIn: amounts1[0]! + amounts2[0]! }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f()
  } catch {
    return undefined
  }
}
