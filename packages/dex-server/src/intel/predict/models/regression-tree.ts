/**
 * A depth-limited least-squares regression tree over pre-binned features (each feature cut at its
 * quantiles), the weak learner of the boosted model. Split search is a histogram pass per node.
 */
export interface TreeNode {
  feature: number
  /** Rows with value ≤ threshold go left. */
  threshold: number
  left: TreeNode | number
  right: TreeNode | number
}
export type Tree = TreeNode | number

export interface BinnedFeatures {
  rows: number
  features: number
  /** Bin index per row and feature, row-major. */
  bins: Uint8Array
  /** Upper edge (inclusive) of each bin per feature: the threshold a split at that bin uses. */
  edges: Float64Array[]
}

export function binFeatures(
  x: Float64Array,
  rows: number,
  features: number,
  maxBins: number,
): BinnedFeatures {
  const bins = new Uint8Array(rows * features)
  const edges: Float64Array[] = []
  const column = new Float64Array(rows)
  for (let f = 0; f < features; f++) {
    for (let r = 0; r < rows; r++) column[r] = x[r * features + f] as number
    const sorted = Float64Array.from(column).sort()
    const cuts: number[] = []
    for (let b = 1; b < maxBins; b++) {
      const cut = sorted[Math.floor((b * rows) / maxBins)] as number
      if (cuts.length === 0 || cut > (cuts.at(-1) as number)) cuts.push(cut)
    }
    cuts.push(Number.POSITIVE_INFINITY)
    const edge = Float64Array.from(cuts)
    edges.push(edge)
    for (let r = 0; r < rows; r++) bins[r * features + f] = binOf(edge, column[r] as number)
  }
  return { rows, features, bins, edges }
}

/** The first bin whose upper edge is ≥ value (binary search). */
export function binOf(edge: Float64Array, value: number): number {
  let lo = 0
  let hi = edge.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (value <= (edge[mid] as number)) hi = mid
    else lo = mid + 1
  }
  return lo
}

export function growTree(
  data: BinnedFeatures,
  target: Float64Array,
  rows: Uint32Array,
  options: { depth: number; minLeaf: number },
): Tree {
  let sum = 0
  for (const r of rows) sum += target[r] as number
  const mean = rows.length > 0 ? sum / rows.length : 0
  if (options.depth === 0 || rows.length < 2 * options.minLeaf) return mean
  const split = bestSplit(data, target, rows, sum, options.minLeaf)
  if (split === null) return mean
  const left: number[] = []
  const right: number[] = []
  for (const r of rows) {
    if ((data.bins[r * data.features + split.feature] as number) <= split.bin) left.push(r)
    else right.push(r)
  }
  const child = { depth: options.depth - 1, minLeaf: options.minLeaf }
  return {
    feature: split.feature,
    threshold: (data.edges[split.feature] as Float64Array)[split.bin] as number,
    left: growTree(data, target, Uint32Array.from(left), child),
    right: growTree(data, target, Uint32Array.from(right), child),
  }
}

/** The split with the largest drop in squared error (equivalently, the largest between-group sum). */
function bestSplit(
  data: BinnedFeatures,
  target: Float64Array,
  rows: Uint32Array,
  total: number,
  minLeaf: number,
) {
  const n = rows.length
  let best: { feature: number; bin: number } | null = null
  let bestGain = (total * total) / n + 1e-18
  for (let f = 0; f < data.features; f++) {
    const binCount = (data.edges[f] as Float64Array).length
    const sums = new Float64Array(binCount)
    const counts = new Uint32Array(binCount)
    for (const r of rows) {
      const b = data.bins[r * data.features + f] as number
      sums[b] = (sums[b] as number) + (target[r] as number)
      counts[b] = (counts[b] as number) + 1
    }
    let leftSum = 0
    let leftCount = 0
    for (let b = 0; b < binCount - 1; b++) {
      leftSum += sums[b] as number
      leftCount += counts[b] as number
      const rightCount = n - leftCount
      if (leftCount < minLeaf || rightCount < minLeaf) continue
      const gain = (leftSum * leftSum) / leftCount + ((total - leftSum) * (total - leftSum)) / rightCount
      if (gain > bestGain) {
        bestGain = gain
        best = { feature: f, bin: b }
      }
    }
  }
  return best
}

export function predictTree(tree: Tree, x: Float64Array, offset: number): number {
  let node = tree
  while (typeof node !== 'number') {
    node = (x[offset + node.feature] as number) <= node.threshold ? node.left : node.right
  }
  return node
}
