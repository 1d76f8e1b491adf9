import { useQuery } from '@tanstack/react-query'
import { api } from '../lib/api.js'

interface TxStatusReply {
  hash: string
  status: string
  blockNumber?: string
  confirmations?: string
  gasUsed?: string
}

const WORDS: Record<string, string> = {
  pending: 'Pending: waiting to be mined',
  confirmed: 'Confirmed',
  failed: 'Failed (reverted on chain)',
  replaced: 'Replaced by another transaction',
  unknown: 'Unknown to this node',
}

/** A transaction's detail view, from /v1/tx (status, block, confirmations, gas). */
export function TxPage({ hash }: { hash: string }) {
  const valid = /^0x[0-9a-fA-F]{64}$/.test(hash)
  const { data, error } = useQuery({
    queryKey: ['tx', hash],
    enabled: valid,
    queryFn: () => api<TxStatusReply>(`/v1/tx/${hash}`),
    refetchInterval: (q) => (q.state.data?.status === 'pending' ? 1_000 : false),
  })
  return (
    <section className="card" aria-labelledby="tx-title">
      <h1 id="tx-title">Transaction</h1>
      <p className="mono small break">{hash}</p>
      {!valid ? <p role="alert">That is not a transaction hash.</p> : null}
      {error ? (
        <p role="alert" className="error-text">
          {error.message}
        </p>
      ) : null}
      {data ? (
        <dl className="details">
          <div>
            <dt>Status</dt>
            <dd>{WORDS[data.status] ?? data.status}</dd>
          </div>
          {data.blockNumber ? (
            <div>
              <dt>Block</dt>
              <dd>{data.blockNumber}</dd>
            </div>
          ) : null}
          {data.confirmations ? (
            <div>
              <dt>Confirmations</dt>
              <dd>{data.confirmations}</dd>
            </div>
          ) : null}
          {data.gasUsed ? (
            <div>
              <dt>Gas used</dt>
              <dd>{data.gasUsed}</dd>
            </div>
          ) : null}
        </dl>
      ) : null}
    </section>
  )
}
