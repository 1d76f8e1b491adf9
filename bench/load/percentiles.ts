/** Latency samples of one endpoint and the summary the report prints. */
export interface LatencySummary {
  requests: number
  errors: number
  errorRate: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  maxMs: number
}

/** Nearest-rank percentile of sorted samples (the definition k6 and Prometheus summaries use). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number
}

export function summarize(samplesMs: number[], errors: number): LatencySummary {
  const sorted = Float64Array.from(samplesMs).sort()
  const values = Array.from(sorted)
  const requests = samplesMs.length
  const round = (n: number) => Math.round(n * 100) / 100
  return {
    requests,
    errors,
    errorRate: requests === 0 ? 0 : round((errors / requests) * 10_000) / 10_000,
    p50Ms: round(percentile(values, 50)),
    p95Ms: round(percentile(values, 95)),
    p99Ms: round(percentile(values, 99)),
    maxMs: round(values.at(-1) ?? Number.NaN),
  }
}
