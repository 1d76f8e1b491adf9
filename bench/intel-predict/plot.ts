import type { ModelRun, OnlineSelection } from '@soba/dex-server/intel/predict/backtest'
import type { ModelName } from '@soba/dex-server/intel/predict/models/types'
import { forecastAt } from '@soba/dex-server/intel/predict/walk-forward'

export interface PlotTrack {
  label: string
  y: Float64Array
  runs: Map<ModelName, ModelRun>
  online: OnlineSelection
  h: number
}

const WIDTH = 1100
const HEIGHT = 420
const LAST = 240

/**
 * A self-contained HTML page with one SVG chart: the outcome (price h minutes later) against each
 * model's forecast and the 95% interval of the model that was selected most, over the last origins.
 */
export function renderPlot(plot: PlotTrack): string {
  const { y, runs, h } = plot
  const lastOrigin = y.length - 1 - h
  const first = Math.max(plot.online.from, lastOrigin - LAST + 1)
  const origins = Array.from({ length: lastOrigin - first + 1 }, (_, i) => first + i)
  const top = [...plot.online.chosen].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'naive'
  const topRun = runs.get(top) as ModelRun
  const band = origins.map((t) => {
    const [lo95, , , hi95] = topRun.offsets[t - topRun.track.firstOrigin] ?? [0, 0, 0, 0]
    const f = forecastAt(topRun.track, t)
    return [Math.exp(f + lo95), Math.exp(f + hi95)] as const
  })
  const outcome = origins.map((t) => Math.exp(y[t + h] as number))
  const lines: Array<{ name: string; color: string; values: number[] }> = [
    { name: 'outcome', color: '#111', values: outcome },
  ]
  const colors: Record<string, string> = { naive: '#999', arima: '#d62728', ets: '#2ca02c', gbm: '#1f77b4' }
  for (const [model, run] of runs) {
    lines.push({
      name: model,
      color: colors[model] ?? '#888',
      values: origins.map((t) => Math.exp(forecastAt(run.track, t))),
    })
  }
  const all = [...outcome, ...band.flat()]
  const lo = Math.min(...all)
  const hi = Math.max(...all)
  const px = (i: number) => 50 + (i / Math.max(1, origins.length - 1)) * (WIDTH - 70)
  const py = (v: number) => 20 + (1 - (v - lo) / (hi - lo || 1)) * (HEIGHT - 50)
  const path = (values: readonly number[]) =>
    values.map((v, i) => `${i === 0 ? 'M' : 'L'}${px(i).toFixed(1)},${py(v).toFixed(1)}`).join('')
  const bandPath = `${band.map(([, up], i) => `${i === 0 ? 'M' : 'L'}${px(i).toFixed(1)},${py(up).toFixed(1)}`).join('')}${band
    .map(([down], i) => [i, down] as const)
    .reverse()
    .map(([i, down]) => `L${px(i).toFixed(1)},${py(down).toFixed(1)}`)
    .join('')}Z`
  const legend = lines
    .map((l, i) => `<text x="${60 + i * 110}" y="${HEIGHT - 8}" fill="${l.color}">— ${l.name}</text>`)
    .join('')
  return `<!doctype html><meta charset="utf-8"><title>Forecast against outcome: ${plot.label}</title>
<h1 style="font:16px sans-serif">Forecast against outcome: ${plot.label}</h1>
<p style="font:13px sans-serif">Each point is one walk-forward origin; every forecast was made from data before it. Shaded: 95% interval of ${top}, the model selected most often. Y axis: price (token1 per token0), ${lo.toPrecision(5)} to ${hi.toPrecision(5)}.</p>
<svg width="${WIDTH}" height="${HEIGHT}" style="font:12px sans-serif">
<path d="${bandPath}" fill="#1f77b422" stroke="none"/>
${lines.map((l) => `<path d="${path(l.values)}" fill="none" stroke="${l.color}" stroke-width="${l.name === 'outcome' ? 1.8 : 1}"/>`).join('\n')}
${legend}
</svg>
`
}
