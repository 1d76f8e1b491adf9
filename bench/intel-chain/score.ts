/** Precision and recall of predictions against planted labels, with the number of cases. */
export interface DetectorScore {
  labeled: number
  predicted: number
  truePositives: number
  precision: number | null
  recall: number | null
  /** Everything the detector was judged on (labeled positives plus the negatives it could flag). */
  cases: number
}

export function score(labeled: Set<string>, predicted: Set<string>, cases: number): DetectorScore {
  let tp = 0
  for (const p of predicted) if (labeled.has(p)) tp++
  return {
    labeled: labeled.size,
    predicted: predicted.size,
    truePositives: tp,
    precision: predicted.size === 0 ? null : tp / predicted.size,
    recall: labeled.size === 0 ? null : tp / labeled.size,
    cases,
  }
}

export function p95(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] as number
}

export function meets(result: DetectorScore, precision: number, recall: number): boolean {
  return (result.precision ?? 0) >= precision && (result.recall ?? 0) >= recall
}
