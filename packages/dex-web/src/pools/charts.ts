import {
  AreaSeries,
  type CandlestickData,
  CandlestickSeries,
  createChart,
  HistogramSeries,
  type IChartApi,
  type UTCTimestamp,
} from 'lightweight-charts'
import type { Candle } from '../lib/types.js'

/** Colours from the page's CSS variables, so the charts follow the light or dark theme. */
function palette() {
  const css = getComputedStyle(document.documentElement)
  const v = (name: string) => css.getPropertyValue(name).trim()
  return {
    text: v('--text-muted'),
    grid: v('--border'),
    up: v('--up'),
    down: v('--down'),
    accent: v('--accent'),
  }
}

function baseChart(container: HTMLElement, height: number): IChartApi {
  const p = palette()
  return createChart(container, {
    height,
    autoSize: true,
    layout: { background: { color: 'transparent' }, textColor: p.text, attributionLogo: true },
    grid: { vertLines: { color: p.grid }, horzLines: { color: p.grid } },
    rightPriceScale: { borderColor: p.grid },
    timeScale: { borderColor: p.grid, timeVisible: true, secondsVisible: false },
  })
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000) as UTCTimestamp

/**
 * Candle prices arrive as exact decimal strings; the chart draws with numbers, so they become
 * numbers here and only here (drawing, never a value path).
 */
export function toBar(c: Candle): CandlestickData<UTCTimestamp> {
  return {
    time: seconds(c.time),
    open: Number(c.open),
    high: Number(c.high),
    low: Number(c.low),
    close: Number(c.close),
  }
}

export function candleChart(container: HTMLElement) {
  const p = palette()
  const chart = baseChart(container, 320)
  const series = chart.addSeries(CandlestickSeries, {
    upColor: p.up,
    downColor: p.down,
    borderVisible: false,
    wickUpColor: p.up,
    wickDownColor: p.down,
    priceFormat: { type: 'price', precision: 6, minMove: 0.000001 },
  })
  return {
    setCandles(candles: Candle[]) {
      series.setData(candles.map(toBar))
      chart.timeScale().fitContent()
    },
    update(candle: Candle) {
      series.update(toBar(candle))
    },
    remove: () => chart.remove(),
  }
}

export interface HistoryPoint {
  time: string
  tvl: number | null
  volume: number | null
}

export function historyChart(container: HTMLElement) {
  const p = palette()
  const chart = baseChart(container, 220)
  const tvl = chart.addSeries(AreaSeries, {
    lineColor: p.accent,
    topColor: `${p.accent}55`,
    bottomColor: `${p.accent}05`,
    title: 'TVL',
  })
  const volume = chart.addSeries(HistogramSeries, {
    color: `${p.up}aa`,
    priceScaleId: 'volume',
    title: 'Volume',
  })
  chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.7, bottom: 0 } })
  return {
    setPoints(points: HistoryPoint[]) {
      tvl.setData(points.flatMap((x) => (x.tvl === null ? [] : [{ time: seconds(x.time), value: x.tvl }])))
      volume.setData(
        points.flatMap((x) => (x.volume === null ? [] : [{ time: seconds(x.time), value: x.volume }])),
      )
      chart.timeScale().fitContent()
    },
    remove: () => chart.remove(),
  }
}
