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

type Palette = ReturnType<typeof palette>

const chartColours = (p: Palette) => ({
  layout: { background: { color: 'transparent' }, textColor: p.text },
  grid: { vertLines: { color: p.grid }, horzLines: { color: p.grid } },
  rightPriceScale: { borderColor: p.grid },
  timeScale: { borderColor: p.grid },
})

/** A chart that repaints its colours when the theme (html[data-theme]) changes. */
function themedChart(container: HTMLElement, height: number, recolour: (p: Palette) => void) {
  const chart: IChartApi = createChart(container, {
    height,
    autoSize: true,
    ...chartColours(palette()),
    layout: { ...chartColours(palette()).layout, attributionLogo: true },
    timeScale: { ...chartColours(palette()).timeScale, timeVisible: true, secondsVisible: false },
  })
  const observer = new MutationObserver(() => {
    const p = palette()
    chart.applyOptions(chartColours(p))
    recolour(p)
  })
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
  return {
    chart,
    remove() {
      observer.disconnect()
      chart.remove()
    },
  }
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

/** Enough decimals to see a move of about 0.01%, whatever the price's magnitude. */
export function pricePrecision(price: number): number {
  if (!(price > 0)) return 2
  return Math.min(10, Math.max(2, 4 - Math.floor(Math.log10(price))))
}

export function candleChart(container: HTMLElement) {
  const candleColours = (p: Palette) => ({
    upColor: p.up,
    downColor: p.down,
    wickUpColor: p.up,
    wickDownColor: p.down,
  })
  let series: ReturnType<IChartApi['addSeries']> | null = null
  const { chart, remove } = themedChart(container, 320, (p) => series?.applyOptions(candleColours(p)))
  series = chart.addSeries(CandlestickSeries, { ...candleColours(palette()), borderVisible: false })
  const candles = series
  return {
    setCandles(list: Candle[]) {
      const bars = list.map(toBar)
      const precision = pricePrecision(bars.at(-1)?.close ?? 0)
      candles.applyOptions({ priceFormat: { type: 'price', precision, minMove: 10 ** -precision } })
      candles.setData(bars)
      chart.timeScale().fitContent()
    },
    update(candle: Candle) {
      candles.update(toBar(candle))
    },
    remove,
  }
}

export interface HistoryPoint {
  time: string
  tvl: number | null
  volume: number | null
}

export function historyChart(container: HTMLElement) {
  const areaColours = (p: Palette) => ({
    lineColor: p.accent,
    topColor: `${p.accent}55`,
    bottomColor: `${p.accent}05`,
  })
  let tvl: ReturnType<IChartApi['addSeries']> | null = null
  let volume: ReturnType<IChartApi['addSeries']> | null = null
  const { chart, remove } = themedChart(container, 220, (p) => {
    tvl?.applyOptions(areaColours(p))
    volume?.applyOptions({ color: `${p.up}aa` })
  })
  tvl = chart.addSeries(AreaSeries, {
    ...areaColours(palette()),
    title: 'TVL',
    priceFormat: { type: 'volume' },
  })
  volume = chart.addSeries(HistogramSeries, {
    color: `${palette().up}aa`,
    priceScaleId: 'volume',
    title: 'Volume',
    priceFormat: { type: 'volume' },
  })
  chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.7, bottom: 0 } })
  const [tvlSeries, volumeSeries] = [tvl, volume]
  return {
    setPoints(points: HistoryPoint[]) {
      tvlSeries.setData(
        points.flatMap((x) => (x.tvl === null ? [] : [{ time: seconds(x.time), value: x.tvl }])),
      )
      volumeSeries.setData(
        points.flatMap((x) => (x.volume === null ? [] : [{ time: seconds(x.time), value: x.volume }])),
      )
      chart.timeScale().fitContent()
    },
    remove,
  }
}
