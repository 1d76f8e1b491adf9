import { formatDecimal } from '../lib/amounts.js'

/** A signed percent change, coloured and worded for screen readers ("up 2.5%"). */
export function Change({ percent }: { percent: string | null | undefined }) {
  if (percent === null || percent === undefined) return <span className="muted">–</span>
  const negative = percent.startsWith('-')
  const zero = /^-?0(\.0*)?$/.test(percent)
  const abs = negative ? percent.slice(1) : percent
  const text = `${formatDecimal(abs, { fractionDigits: 2, significant: 2 })}%`
  if (zero) return <span>0%</span>
  return (
    <span className={negative ? 'down' : 'up'}>
      <span className="visually-hidden">{negative ? 'down ' : 'up '}</span>
      <span aria-hidden="true">{negative ? '▼ ' : '▲ '}</span>
      {text}
    </span>
  )
}
