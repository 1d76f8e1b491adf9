import { seededRandom } from '../../../simulator/random.js'
import { FEATURE_COUNT, type ModelInput } from '../features.js'
import { binFeatures, growTree, predictTree, type Tree } from './regression-tree.js'
import type { FittedModel, Forecaster } from './types.js'

const WINDOW = 1440
const TREES = 60
const DEPTH = 3
const LEARNING_RATE = 0.05
const MIN_LEAF = 30
const SUBSAMPLE = 0.7
const BINS = 32

/**
 * Gradient-boosted regression trees (squared loss, shrinkage, row subsampling) on the indexed
 * features: returns, distance from moving means, order-flow imbalance, turnover, liquidity change
 * and volatility. The target is the h-step log return; a training row at minute s is used only
 * when s + h is already known at the origin. Subsampling draws from a fixed seed, so a refit on
 * the same data gives the same model.
 */
export const gbm: Forecaster = {
  name: 'gbm',
  fit(input: ModelInput, h: number): FittedModel {
    const known = input.y.length
    const first = Math.max(0, known - WINDOW)
    // Rows s with s + h ≤ origin: their outcome has happened.
    const rows = known - h - first
    if (rows < 4 * MIN_LEAF) return constant(0)
    const x = input.x.subarray(first * FEATURE_COUNT, (first + rows) * FEATURE_COUNT)
    const target = new Float64Array(rows)
    for (let i = 0; i < rows; i++)
      target[i] = (input.y[first + i + h] as number) - (input.y[first + i] as number)
    const binned = binFeatures(x, rows, FEATURE_COUNT, BINS)
    let base = 0
    for (const v of target) base += v
    base /= rows
    const residual = target.map((v) => v - base)
    const random = seededRandom(rows * 31 + h)
    const trees: Tree[] = []
    for (let m = 0; m < TREES; m++) {
      const sample: number[] = []
      for (let r = 0; r < rows; r++) if (random() < SUBSAMPLE) sample.push(r)
      const tree = growTree(binned, residual, Uint32Array.from(sample), { depth: DEPTH, minLeaf: MIN_LEAF })
      trees.push(tree)
      for (let r = 0; r < rows; r++) {
        residual[r] = (residual[r] as number) - LEARNING_RATE * predictTree(tree, x, r * FEATURE_COUNT)
      }
    }
    return {
      describe: () => `gradient-boosted trees (${TREES} trees, depth ${DEPTH}, ${rows} rows)`,
      forecast: (at) => {
        const offset = (at.y.length - 1) * FEATURE_COUNT
        let move = base
        for (const tree of trees) move += LEARNING_RATE * predictTree(tree, at.x, offset)
        return (at.y[at.y.length - 1] as number) + move
      },
    }
  },
}

function constant(move: number): FittedModel {
  return {
    describe: () => 'gradient-boosted trees (too little history: no trees)',
    forecast: (at) => (at.y[at.y.length - 1] as number) + move,
  }
}
