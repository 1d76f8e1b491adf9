import { useQuery } from '@tanstack/react-query'
import { type RefObject, useEffect, useRef, useState } from 'react'
import { formatUnits } from 'viem'
import { Link } from '../app/router.js'
import { formatAmount, formatDecimal, fractionToPercent } from '../lib/amounts.js'
import { api, query } from '../lib/api.js'
import type { Candle, Pool, PriceChange, Swap, TokenRef } from '../lib/types.js'
import { Change } from '../ui/Change.js'
import { candleChart, historyChart } from './charts.js'
import { AddLiquidity, RemoveLiquidity } from './Liquidity.js'
import { useLiveSwaps } from './useLiveSwaps.js'
import { pairName, symbolOf } from './usePools.js'

const INTERVALS = ['1m', '5m', '15m', '1h', '4h', '1d'] as const
type Interval = (typeof INTERVALS)[number]

interface HistoryReply {
  quoteToken: TokenRef | null
  priceChange24h: PriceChange | null
  points: Array<{ time: string; tvl: string | null; volume: string | null }>
}

export function PoolPage({ address }: { address: string }) {
  const [interval, setCandleInterval] = useState<Interval>('5m')
  const chart = useRef<ReturnType<typeof candleChart> | null>(null)
  // One stream per page: its swaps feed the list, its candles the chart.
  const live = useLiveSwaps(address, interval, (c) => chart.current?.update(c))
  const { data, error } = useQuery({
    queryKey: ['pool', address],
    queryFn: () => api<{ quoteToken: TokenRef | null; pool: Pool }>(`/v1/pools/${address}`),
    refetchInterval: 5_000,
  })
  if (error) {
    return (
      <section className="card" role="alert">
        <h1>Pool not found</h1>
        <p>{error.message}</p>
        <Link to="/pools">All pools</Link>
      </section>
    )
  }
  if (!data) return <p className="muted">Loading the pool…</p>
  const { pool, quoteToken } = data
  const [t0, t1] = pool.tokens
  const money = (value: string | null) =>
    value === null || !quoteToken || quoteToken.decimals === null
      ? '–'
      : `${formatAmount(BigInt(value), quoteToken.decimals, { fractionDigits: 0 })} ${quoteToken.symbol ?? ''}`
  return (
    <div className="pool-page">
      <section className="card wide" aria-labelledby="pool-title">
        <p>
          <Link to="/pools">← All pools</Link>
        </p>
        <h1 id="pool-title">{pairName(pool.tokens)}</h1>
        <p className="price-line">
          1 {symbolOf(t0)} = {formatDecimal(pool.price, { significant: 6 })} {symbolOf(t1)}
        </p>
        <dl className="stats">
          <div>
            <dt>TVL</dt>
            <dd>{money(pool.tvl)}</dd>
          </div>
          <div>
            <dt>Volume 24h</dt>
            <dd>{money(pool.volume24h)}</dd>
          </div>
          <div>
            <dt>Fees 24h</dt>
            <dd>{money(pool.fees24h)}</dd>
          </div>
          <div>
            <dt>Fee APR</dt>
            <dd>
              {pool.feeApr === null
                ? '–'
                : `${formatDecimal(fractionToPercent(pool.feeApr), { fractionDigits: 2, significant: 2 })}%`}
            </dd>
          </div>
          <div>
            <dt>Reserves</dt>
            <dd>
              {formatAmount(BigInt(pool.reserves[0]), t0.decimals ?? 18, { fractionDigits: 2 })}{' '}
              {symbolOf(t0)} ·{' '}
              {formatAmount(BigInt(pool.reserves[1]), t1.decimals ?? 18, { fractionDigits: 2 })}{' '}
              {symbolOf(t1)}
            </dd>
          </div>
        </dl>
        <PriceSection pool={pool} interval={interval} onInterval={setCandleInterval} chart={chart} />
        <HistorySection address={pool.address} />
      </section>
      <div className="side-column">
        <section className="card">
          <AddLiquidity tokens={pool.tokens} empty={pool.reserves[0] === '0'} />
        </section>
        <RemoveLiquidity pool={pool.address} tokens={pool.tokens} />
        <RecentSwaps pool={pool} swaps={live.swaps} connected={live.connected} />
      </div>
    </div>
  )
}

function PriceSection({
  pool,
  interval,
  onInterval,
  chart,
}: {
  pool: Pool
  interval: Interval
  onInterval: (i: Interval) => void
  chart: RefObject<ReturnType<typeof candleChart> | null>
}) {
  const container = useRef<HTMLDivElement>(null)
  const candles = useQuery({
    queryKey: ['candles', pool.address, interval],
    queryFn: () =>
      api<{ candles: Candle[] }>(`/v1/candles${query({ pool: pool.address, interval, limit: 200 })}`),
  })
  useEffect(() => {
    if (!container.current) return
    chart.current = candleChart(container.current)
    return () => {
      chart.current?.remove()
      chart.current = null
    }
  }, [chart])
  useEffect(() => {
    if (candles.data) chart.current?.setCandles(candles.data.candles)
  }, [candles.data, chart])
  const [t0, t1] = pool.tokens
  return (
    <section aria-labelledby="price-title" className="chart-section">
      <div className="row spread">
        <h2 id="price-title">
          Price ({symbolOf(t1)} per {symbolOf(t0)})
        </h2>
        <fieldset className="segmented">
          <legend className="visually-hidden">Candle interval</legend>
          {INTERVALS.map((i) => (
            <button
              key={i}
              type="button"
              className={`chip ${i === interval ? 'chip-active' : ''}`}
              aria-pressed={i === interval}
              onClick={() => onInterval(i)}
            >
              {i}
            </button>
          ))}
        </fieldset>
      </div>
      <div
        ref={container}
        className="chart"
        role="img"
        aria-label={`Candlestick chart of the ${pairName(pool.tokens)} price, ${interval} candles`}
      />
    </section>
  )
}

function HistorySection({ address }: { address: string }) {
  const container = useRef<HTMLDivElement>(null)
  const { data } = useQuery({
    queryKey: ['history', address],
    queryFn: () => api<HistoryReply>(`/v1/pools/${address}/history${query({ interval: '1h', limit: 168 })}`),
    refetchInterval: 60_000,
  })
  useEffect(() => {
    if (!container.current || !data) return
    const chart = historyChart(container.current)
    const decimals = data.quoteToken?.decimals ?? 0
    // Whole quote units for drawing only.
    const whole = (v: string | null) => (v === null ? null : Number(formatUnits(BigInt(v), decimals)))
    chart.setPoints(data.points.map((p) => ({ time: p.time, tvl: whole(p.tvl), volume: whole(p.volume) })))
    return () => chart.remove()
  }, [data])
  return (
    <section aria-labelledby="history-title" className="chart-section">
      <div className="row spread">
        <h2 id="history-title">TVL and hourly volume</h2>
        <span>
          24h price change: <Change percent={data?.priceChange24h?.changePercent} />
        </span>
      </div>
      <div
        ref={container}
        className="chart chart-small"
        role="img"
        aria-label="TVL line and hourly volume bars over the last week"
      />
    </section>
  )
}

function RecentSwaps({ pool, swaps, connected }: { pool: Pool; swaps: Swap[]; connected: boolean }) {
  const [t0, t1] = pool.tokens
  return (
    <section className="card" aria-labelledby="swaps-title">
      <h2 id="swaps-title">
        Recent swaps <span className={`live-dot ${connected ? 'live-on' : ''}`} aria-hidden="true" />
        <span className="visually-hidden">{connected ? '(live)' : '(reconnecting)'}</span>
      </h2>
      <ul className="swap-list" aria-label="Recent swaps">
        {swaps.map((s) => {
          const sells0 = BigInt(s.amount0In) > 0n
          const in0 = BigInt(s.amount0In)
          const out1 = BigInt(s.amount1Out)
          const in1 = BigInt(s.amount1In)
          const out0 = BigInt(s.amount0Out)
          return (
            <li key={`${s.blockNumber}:${s.logIndex}`} data-tx={s.txHash}>
              <span className={sells0 ? 'down' : 'up'}>
                {sells0 ? `Sell ${symbolOf(t0)}` : `Buy ${symbolOf(t0)}`}
              </span>{' '}
              {sells0
                ? `${formatAmount(in0, t0.decimals ?? 18)} ${symbolOf(t0)} → ${formatAmount(out1, t1.decimals ?? 18)} ${symbolOf(t1)}`
                : `${formatAmount(in1, t1.decimals ?? 18)} ${symbolOf(t1)} → ${formatAmount(out0, t0.decimals ?? 18)} ${symbolOf(t0)}`}{' '}
              <Link to={`/tx/${s.txHash}`} className="muted small">
                block {s.blockNumber}
              </Link>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
