/**
 * `npm run bench -- intel-predict`: the price-prediction backtest. For each of three simulator
 * seeds the embedded market trades for INTEL_PREDICT_ROUNDS rounds (one per chain minute) with the
 * mean-reverting pool beside the random-walk ones; the indexer folds it into the database; every
 * pool's 1-minute series then goes through the same walk-forward code the live service runs. It
 * reports, per seed, pool, horizon and model (and for the model selected online from past errors
 * only): Theil's U against naive, directional accuracy with its 95% interval and the coverage of
 * the 80% and 95% intervals, checks the targets, and draws forecast against outcome for
 * the mean-reverting pool (bench/results/intel-predict.html).
 */
import { writeFile } from 'node:fs/promises'
import { onlineSelection, runModels } from '@soba/dex-server/intel/predict/backtest'
import { buildFeatures } from '@soba/dex-server/intel/predict/features'
import type { ForecastQuality } from '@soba/dex-server/intel/predict/metrics'
import { FORECASTERS } from '@soba/dex-server/intel/predict/models/index'
import { HORIZON_NAMES, HORIZONS, loadPoolSeries } from '@soba/dex-server/intel/predict/series'
import { TRAINING } from '@soba/dex-server/intel/predict/training'
import { simulateMarket } from './market.js'
import { type PlotTrack, renderPlot } from './plot.js'

const SEEDS = (process.env.INTEL_PREDICT_SEEDS ?? '1,2,3').split(',').map(Number)
const STABLES = new Set(['USDC', 'DAI'])

type PoolKind = 'mean-reverting' | 'pegged' | 'random-walk'

function poolKind(pool: string, label: string, meanRevertingPool: string): PoolKind {
  if (pool === meanRevertingPool) return 'mean-reverting'
  return label.split('/').every((symbol) => STABLES.has(symbol)) ? 'pegged' : 'random-walk'
}
const TICK_SECONDS = 60

interface Row {
  seed: number
  pool: string
  /** mean-reverting: the OU pool; pegged: two stablecoins; random-walk: the others' references drift. */
  kind: PoolKind
  horizon: string
  model: string
  forecasts: number
  rmse: number
  naiveRmse: number
  theilU: number | null
  directionalAccuracy: number | null
  directionalCi95: [number, number] | null
  coverage80: number | null
  coverage95: number | null
  /** For the selected row: how many refit points chose each model. */
  chosen?: Record<string, number>
}

const r3 = (v: number | null | undefined) =>
  v === null || v === undefined ? null : Math.round(v * 1000) / 1000

function row(
  base: Omit<Row, keyof ForecastQuality | 'directionalCi95' | 'model'>,
  model: string,
  q: ForecastQuality,
): Row {
  return {
    ...base,
    model,
    forecasts: q.forecasts,
    rmse: q.rmse,
    naiveRmse: q.naiveRmse,
    theilU: r3(q.theilU),
    directionalAccuracy: r3(q.directionalAccuracy?.value),
    directionalCi95: q.directionalAccuracy
      ? [r3(q.directionalAccuracy.ci95[0]) as number, r3(q.directionalAccuracy.ci95[1]) as number]
      : null,
    coverage80: r3(q.coverage80),
    coverage95: r3(q.coverage95),
  }
}

export async function run() {
  const rounds = Number(process.env.INTEL_PREDICT_ROUNDS ?? 5400)
  const started = Date.now()
  const rows: Row[] = []
  let plot: PlotTrack | null = null
  for (const seed of SEEDS) {
    const market = await simulateMarket({ seed, ticks: rounds, tickSeconds: TICK_SECONDS, log: console.log })
    try {
      for (const [pool, label] of market.pools) {
        const series = await loadPoolSeries(market.db.kysely, pool, { minutes: rounds + 60 })
        if (series === null) continue
        const input = buildFeatures(series)
        const kind = poolKind(pool, label, market.meanRevertingPool)
        for (const horizon of HORIZON_NAMES) {
          const options = { ...TRAINING, h: HORIZONS[horizon] }
          const runs = await runModels(input, FORECASTERS, options)
          const online = onlineSelection(input.y, runs, options)
          if (online === null) continue
          const base = { seed, pool: label, kind, horizon } as const
          for (const [model, q] of online.perModel) rows.push(row(base, model, q))
          rows.push({ ...row(base, 'selected', online.selected), chosen: Object.fromEntries(online.chosen) })
          if (seed === SEEDS[0] && kind === 'mean-reverting' && horizon === '1m') {
            plot = { label: `${label} (seed ${seed}), 1-minute horizon`, y: input.y, runs, online, h: 1 }
          }
        }
        console.log(`seed ${seed}: ${label} done (${Math.round((Date.now() - started) / 1000)} s)`)
      }
    } finally {
      await market.close()
    }
  }
  const plotFile = new URL('../results/intel-predict.html', import.meta.url)
  if (plot) await writeFile(plotFile, renderPlot(plot))
  printTable(rows)
  return {
    at: new Date().toISOString(),
    rounds,
    tickSeconds: TICK_SECONDS,
    seeds: SEEDS,
    training: TRAINING,
    targets: targets(rows),
    plot: 'bench/results/intel-predict.html',
    rows,
  }
}

/**
 * Selected rows of every seed and pool pooled per pool kind and horizon: Theil's U over the summed
 * squared errors, coverage weighted by forecasts. One 1-hour row rests on ~50 independent outcomes,
 * so its coverage alone moves by ±6 points; the pooled figure is the steadier one.
 */
function pooled(rows: Row[]) {
  const groups = new Map<string, Row[]>()
  for (const r of rows.filter((x) => x.model === 'selected')) {
    const key = `${r.kind} ${r.horizon}`
    groups.set(key, [...(groups.get(key) ?? []), r])
  }
  return Object.fromEntries(
    [...groups].map(([key, group]) => {
      const sse = group.reduce((s, r) => s + r.forecasts * r.rmse ** 2, 0)
      const naiveSse = group.reduce((s, r) => s + r.forecasts * r.naiveRmse ** 2, 0)
      const covered = group.filter((r) => r.coverage95 !== null)
      const weight = covered.reduce((s, r) => s + r.forecasts, 0)
      return [
        key,
        {
          rows: group.length,
          theilU: r3(Math.sqrt(sse / naiveSse)),
          coverage95: r3(covered.reduce((s, r) => s + r.forecasts * (r.coverage95 as number), 0) / weight),
        },
      ]
    }),
  )
}

/** The acceptance targets, checked on the selected rows of every seed, and pooled. */
function targets(rows: Row[]) {
  const selected = rows.filter((r) => r.model === 'selected')
  const ou = selected.filter((r) => r.kind === 'mean-reverting' && r.horizon === '1m')
  const walks = selected.filter((r) => r.kind === 'random-walk')
  const coverage = selected.map((r) => r.coverage95).filter((c): c is number => c !== null)
  const groups = pooled(rows)
  const walkGroups = Object.entries(groups).filter(([key]) => key.startsWith('random-walk'))
  return {
    meanRevertingShortestHorizonU: {
      target: '≤ 0.9',
      values: ou.map((r) => r.theilU),
      met: ou.length > 0 && ou.every((r) => r.theilU !== null && r.theilU <= 0.9),
    },
    randomWalkSelectedU: {
      target: '≤ 1.02',
      worstRow: Math.max(...walks.map((r) => r.theilU ?? 0)),
      rowsAbove: walks
        .filter((r) => (r.theilU ?? 0) > 1.02)
        .map((r) => `${r.seed} ${r.pool} ${r.horizon}: ${r.theilU}`),
      metPerRow: walks.every((r) => r.theilU !== null && r.theilU <= 1.02),
      pooled: Object.fromEntries(walkGroups.map(([key, g]) => [key, g.theilU])),
      metPooled: walkGroups.every(([, g]) => (g.theilU ?? 2) <= 1.02),
    },
    coverage95: {
      target: '0.90–0.98',
      min: Math.min(...coverage),
      max: Math.max(...coverage),
      outside: selected
        .filter((r) => r.coverage95 !== null && (r.coverage95 < 0.9 || r.coverage95 > 0.98))
        .map((r) => `${r.seed} ${r.pool} ${r.horizon}: ${r.coverage95}`),
      metPerRow: coverage.every((c) => c >= 0.9 && c <= 0.98),
      pooled: Object.fromEntries(Object.entries(groups).map(([key, g]) => [key, g.coverage95])),
      metPooled: Object.values(groups).every(
        (g) => (g.coverage95 ?? 0) >= 0.9 && (g.coverage95 ?? 1) <= 0.98,
      ),
    },
    pooled: groups,
  }
}

function printTable(rows: Row[]) {
  const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(3))
  console.log('seed pool        horizon model     n     U      DA (95% CI)           cov80  cov95')
  for (const r of rows) {
    const ci = r.directionalCi95 ? `[${fmt(r.directionalCi95[0])}, ${fmt(r.directionalCi95[1])}]` : ''
    console.log(
      [
        String(r.seed).padEnd(4),
        r.pool.padEnd(11),
        r.horizon.padEnd(7),
        r.model.padEnd(9),
        String(r.forecasts).padEnd(5),
        fmt(r.theilU).padEnd(6),
        `${fmt(r.directionalAccuracy)} ${ci}`.padEnd(21),
        fmt(r.coverage80).padEnd(6),
        fmt(r.coverage95),
      ].join(' '),
    )
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2))
}
