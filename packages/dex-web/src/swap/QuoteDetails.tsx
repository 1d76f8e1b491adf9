import { useState } from 'react'
import { formatAmount, formatDecimal, unitRate } from '../lib/amounts.js'
import type { ImpactSeverity, Quote } from '../lib/types.js'
import type { Currency } from './currency.js'

export const IMPACT_TEXT: Record<ImpactSeverity, string> = {
  none: '',
  low: 'Price impact above 1%',
  medium: 'High price impact (above 3%)',
  high: 'Very high price impact (above 5%): you will lose a large share of this trade',
  blocked: 'Extreme price impact (above 15%): most of this trade goes to the pool',
}

interface Props {
  quote: Quote
  input: Currency
  output: Currency
  symbolOf: (address: string) => string
  /** Wei per gas, for the network fee. */
  gasPrice: bigint | undefined
  /** Quote-token base units per whole ETH, and the quote token's decimals/symbol, for the fee's value. */
  ethPrice: { value: bigint; decimals: number; symbol: string } | null
}

/** Rate both ways, route (and split), price impact, min received / max sold, network fee, block. */
export function QuoteDetails({ quote, input, output, symbolOf, gasPrice, ethPrice }: Props) {
  const [inverted, setInverted] = useState(false)
  const amountIn = BigInt(quote.amountIn)
  const amountOut = BigInt(quote.amountOut)
  const rate = inverted
    ? `1 ${output.symbol} = ${formatAmount(unitRate(amountIn, input.decimals, amountOut, output.decimals), 18)} ${input.symbol}`
    : `1 ${input.symbol} = ${formatAmount(unitRate(amountOut, output.decimals, amountIn, input.decimals), 18)} ${output.symbol}`
  const fee = gasPrice === undefined ? undefined : BigInt(quote.gasEstimate) * gasPrice
  const feeValue = fee !== undefined && ethPrice ? (fee * ethPrice.value) / 10n ** 18n : undefined
  const severity = quote.priceImpactSeverity
  return (
    <section className="quote-details" aria-label="Trade details">
      <button
        type="button"
        className="rate-button"
        onClick={() => setInverted((v) => !v)}
        aria-label={`Rate: ${rate}. Show the inverse rate`}
      >
        {rate} ⇄
      </button>
      <dl className="details">
        <div>
          <dt>Route</dt>
          <dd>
            {quote.legs.map((leg, i) => (
              <span key={leg.pools.join()} className="route-leg">
                {quote.split ? `${percentOf(BigInt(leg.amountIn), amountIn)}%: ` : ''}
                {leg.route
                  .map((token, j) => displaySymbol(token, j, leg.route.length, input, output, symbolOf))
                  .join(' → ')}
                {i < quote.legs.length - 1 ? <br /> : null}
              </span>
            ))}
          </dd>
        </div>
        <div>
          <dt>Price impact</dt>
          <dd className={`impact impact-${severity}`}>
            {formatDecimal(quote.priceImpact, { fractionDigits: 2 })}%
            {severity !== 'none' ? <span className="impact-text"> · {IMPACT_TEXT[severity]}</span> : null}
          </dd>
        </div>
        {quote.minimumReceived !== undefined ? (
          <div>
            <dt>Minimum received</dt>
            <dd>
              {formatAmount(BigInt(quote.minimumReceived), output.decimals)} {output.symbol}
            </dd>
          </div>
        ) : null}
        {quote.maximumSold !== undefined ? (
          <div>
            <dt>Maximum sold</dt>
            <dd>
              {formatAmount(BigInt(quote.maximumSold), input.decimals)} {input.symbol}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Max slippage</dt>
          <dd>{quote.slippage}%</dd>
        </div>
        <div>
          <dt>Network fee</dt>
          <dd>
            {fee === undefined ? '…' : `${formatAmount(fee, 18, { significant: 3 })} ETH`}
            {feeValue !== undefined && ethPrice
              ? ` (≈ ${formatAmount(feeValue, ethPrice.decimals, { fractionDigits: 2, significant: 2 })} ${ethPrice.symbol})`
              : ''}
          </dd>
        </div>
        <div>
          <dt>Priced at block</dt>
          <dd>
            {quote.blockNumber !== undefined
              ? String(quote.blockNumber)
              : `graph version ${quote.blockVersion}`}
          </dd>
        </div>
      </dl>
    </section>
  )
}

function percentOf(part: bigint, whole: bigint): string {
  return whole === 0n ? '0' : ((part * 100n + whole / 2n) / whole).toString()
}

/** The route starts or ends at WETH for an ETH trade: show ETH there, as the user chose it. */
function displaySymbol(
  token: string,
  index: number,
  length: number,
  input: Currency,
  output: Currency,
  symbolOf: (address: string) => string,
): string {
  if (index === 0 && input.kind === 'native') return 'ETH'
  if (index === length - 1 && output.kind === 'native') return 'ETH'
  return symbolOf(token)
}
