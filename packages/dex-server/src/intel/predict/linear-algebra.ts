/**
 * Least squares by the normal equations with a tiny ridge (keeps near-collinear lag columns
 * solvable). Rows are row-major in `design` (n × k). Returns the coefficients and the residual
 * sum of squares.
 */
export function leastSquares(
  design: Float64Array,
  target: Float64Array,
  k: number,
  ridge = 1e-10,
): { beta: Float64Array; rss: number; xtx: Float64Array } {
  const n = target.length
  const xtx = new Float64Array(k * k)
  const xty = new Float64Array(k)
  for (let i = 0; i < n; i++) {
    const row = i * k
    const yi = target[i] as number
    for (let a = 0; a < k; a++) {
      const xa = design[row + a] as number
      xty[a] = (xty[a] as number) + xa * yi
      for (let b = a; b < k; b++)
        xtx[a * k + b] = (xtx[a * k + b] as number) + xa * (design[row + b] as number)
    }
  }
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < a; b++) xtx[a * k + b] = xtx[b * k + a] as number
    xtx[a * k + a] = (xtx[a * k + a] as number) * (1 + ridge) + ridge
  }
  const beta = solve(xtx, xty, k)
  let rss = 0
  for (let i = 0; i < n; i++) {
    let fit = 0
    for (let a = 0; a < k; a++) fit += (design[i * k + a] as number) * (beta[a] as number)
    rss += ((target[i] as number) - fit) ** 2
  }
  return { beta, rss, xtx }
}

/** Gaussian elimination with partial pivoting on a k × k system (k is tiny here). */
export function solve(matrix: Float64Array, rhs: Float64Array, k: number): Float64Array {
  const m = Float64Array.from(matrix)
  const v = Float64Array.from(rhs)
  for (let col = 0; col < k; col++) {
    let pivot = col
    for (let r = col + 1; r < k; r++) {
      if (Math.abs(m[r * k + col] as number) > Math.abs(m[pivot * k + col] as number)) pivot = r
    }
    if (pivot !== col) {
      for (let c = 0; c < k; c++) {
        const tmp = m[col * k + c] as number
        m[col * k + c] = m[pivot * k + c] as number
        m[pivot * k + c] = tmp
      }
      const tmp = v[col] as number
      v[col] = v[pivot] as number
      v[pivot] = tmp
    }
    const diag = m[col * k + col] as number
    if (Math.abs(diag) < 1e-300) continue
    for (let r = col + 1; r < k; r++) {
      const factor = (m[r * k + col] as number) / diag
      if (factor === 0) continue
      for (let c = col; c < k; c++)
        m[r * k + c] = (m[r * k + c] as number) - factor * (m[col * k + c] as number)
      v[r] = (v[r] as number) - factor * (v[col] as number)
    }
  }
  const out = new Float64Array(k)
  for (let r = k - 1; r >= 0; r--) {
    let sum = v[r] as number
    for (let c = r + 1; c < k; c++) sum -= (m[r * k + c] as number) * (out[c] as number)
    const diag = m[r * k + r] as number
    out[r] = Math.abs(diag) < 1e-300 ? 0 : sum / diag
  }
  return out
}
