import { useState } from 'react'
import { Link } from '../app/router.js'
import { formatAmount, formatDecimal, fractionToPercent } from '../lib/amounts.js'
import type { Pool } from '../lib/types.js'
import { Change } from '../ui/Change.js'
import { pairName, usePools } from './usePools.js'

type SortKey = 'tvl' | 'volume24h' | 'fees24h' | 'feeApr'
const COLUMNS: Array<[SortKey, string]> = [
  ['tvl', 'TVL'],
  ['volume24h', 'Volume 24h'],
  ['fees24h', 'Fees 24h'],
  ['feeApr', 'Fee APR'],
]

/** Sorts on the exact decimal strings the API sends: bigint compares, no float. */
function sortValue(pool: Pool, key: SortKey): bigint {
  const raw = pool[key]
  if (raw === null) return -1n
  if (key !== 'feeApr') return BigInt(raw)
  const [whole = '0', fraction = ''] = raw.split('.')
  return BigInt(whole) * 10n ** 18n + BigInt(fraction.padEnd(18, '0').slice(0, 18))
}

export function PoolsPage() {
  const { data, error, changeOf } = usePools()
  const [search, setSearch] = useState('')
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'tvl', descending: true })
  const quote = data?.quoteToken
  const q = search.trim().toLowerCase()
  const pools = (data?.pools ?? [])
    .filter(
      (p) =>
        q === '' ||
        p.address.toLowerCase() === q ||
        p.tokens.some((t) => t.symbol?.toLowerCase().includes(q) || t.address.toLowerCase() === q),
    )
    .sort((a, b) => {
      const x = sortValue(a, sort.key)
      const y = sortValue(b, sort.key)
      const order = x === y ? 0 : x > y ? 1 : -1
      return sort.descending ? -order : order
    })
  const money = (value: string | null) =>
    value === null || !quote || quote.decimals === null
      ? '–'
      : `${formatAmount(BigInt(value), quote.decimals, { fractionDigits: 0 })} ${quote.symbol ?? ''}`
  return (
    <section className="card wide" aria-labelledby="pools-title">
      <header className="card-header">
        <h1 id="pools-title">Pools</h1>
      </header>
      <label className="field-label" htmlFor="pool-search">
        Search pools
      </label>
      <input
        id="pool-search"
        className="text-input"
        type="search"
        placeholder="Symbol or address"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {error ? (
        <p role="alert" className="error-text">
          Pools are unavailable: {error.message}
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">
            Pools, sorted by {COLUMNS.find(([k]) => k === sort.key)?.[1]}
          </caption>
          <thead>
            <tr>
              <th scope="col">Pool</th>
              {COLUMNS.map(([key, label]) => (
                <th
                  key={key}
                  scope="col"
                  className="num"
                  aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => setSort({ key, descending: sort.key === key ? !sort.descending : true })}
                  >
                    {label}
                    {sort.key === key ? (sort.descending ? ' ↓' : ' ↑') : ''}
                  </button>
                </th>
              ))}
              <th scope="col" className="num">
                Price 24h
              </th>
            </tr>
          </thead>
          <tbody>
            {pools.map((p) => (
              <tr key={p.address}>
                <th scope="row">
                  <Link to={`/pools/${p.address}`}>{pairName(p.tokens)}</Link>
                </th>
                <td className="num">{money(p.tvl)}</td>
                <td className="num">{money(p.volume24h)}</td>
                <td className="num">{money(p.fees24h)}</td>
                <td className="num">
                  {p.feeApr === null
                    ? '–'
                    : `${formatDecimal(fractionToPercent(p.feeApr), { fractionDigits: 2, significant: 2 })}%`}
                </td>
                <td className="num">
                  <Change percent={changeOf(p.address)?.changePercent} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data && pools.length === 0 ? <p className="muted">No pool matches “{search}”.</p> : null}
    </section>
  )
}
