import { type Static, Type } from '@sinclair/typebox'
import { getAddress } from 'viem'
import type { IndexBatch } from '../../indexer/batch.js'
import { type DexEvent, normalizeBatch } from '../../indexer/publish.js'

/**
 * The pipeline's wire format: the indexer's normalized events plus a stable `id` (chain, block
 * hash, log index: re-emitted after a reorg it is a new event) with addresses EIP-55 checksummed.
 * `seq` is the outbox position, stamped by the relay.
 */
const Amount = Type.String({
  pattern: '^(0|[1-9][0-9]{0,77})$',
  description: 'integer amount, decimal string',
})
const Address = Type.String({ pattern: '^0x[0-9a-fA-F]{40}$', description: 'EIP-55 checksummed address' })
const IsoTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$',
  description: 'ISO-8601 UTC time',
})
const TxHash = Type.String({ pattern: '^0x[0-9a-f]{64}$' })
const Position = {
  id: Type.String({ minLength: 1, maxLength: 200 }),
  seq: Type.Optional(Type.Integer({ minimum: 1 })),
  chainId: Type.Integer({ minimum: 1 }),
  pool: Address,
  blockNumber: Type.Integer({ minimum: 0 }),
  txHash: TxHash,
}

export const PoolCreatedEvent = Type.Object(
  {
    type: Type.Literal('pool.created'),
    ...Position,
    logIndex: Type.Integer({ minimum: 0 }),
    token0: Address,
    token1: Address,
  },
  { additionalProperties: false },
)
export const SwapEvent = Type.Object(
  {
    type: Type.Literal('swap'),
    ...Position,
    logIndex: Type.Integer({ minimum: 0 }),
    time: IsoTime,
    sender: Address,
    recipient: Address,
    amount0In: Amount,
    amount1In: Amount,
    amount0Out: Amount,
    amount1Out: Amount,
    reserve0: Amount,
    reserve1: Amount,
  },
  { additionalProperties: false },
)
export const LiquidityEvent = Type.Object(
  {
    type: Type.Union([Type.Literal('liquidity.mint'), Type.Literal('liquidity.burn')]),
    ...Position,
    logIndex: Type.Integer({ minimum: 0 }),
    time: IsoTime,
    sender: Address,
    amount0: Amount,
    amount1: Amount,
  },
  { additionalProperties: false },
)
export const ReorgEvent = Type.Object(
  {
    type: Type.Literal('reorg'),
    id: Type.String({ minLength: 1, maxLength: 200 }),
    seq: Type.Optional(Type.Integer({ minimum: 1 })),
    chainId: Type.Integer({ minimum: 1 }),
    forkBlock: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  },
  { additionalProperties: false },
)

export const PipelineEventSchema = Type.Union([PoolCreatedEvent, SwapEvent, LiquidityEvent, ReorgEvent])
export type PipelineEvent = Static<typeof PipelineEventSchema>
export type ChainEvent = Exclude<PipelineEvent, { type: 'reorg' }>

/** Routing key on the `dex.events` exchange: `<type>.<chainId>`, as the indexer always used. */
export const topicOf = (event: { type: string; chainId: number }) => `${event.type}.${event.chainId}`

const checksum = (address: string) => getAddress(address)

function toWire(event: Exclude<DexEvent, { type: 'reorg' }>, blockHash: string): ChainEvent {
  const logIndex = 'logIndex' in event ? event.logIndex : 0
  const id = `${event.chainId}:${blockHash}:${logIndex}`
  switch (event.type) {
    case 'pool.created':
      return {
        ...event,
        id,
        logIndex,
        pool: checksum(event.pool),
        token0: checksum(event.token0),
        token1: checksum(event.token1),
      }
    case 'swap':
      return {
        ...event,
        id,
        pool: checksum(event.pool),
        sender: checksum(event.sender),
        recipient: checksum(event.recipient),
      }
    default:
      return { ...event, id, pool: checksum(event.pool), sender: checksum(event.sender) }
  }
}

/** The events of one indexed range in chain order, ready for the outbox. */
export function pipelineEventsOf(chainId: number, batch: IndexBatch): ChainEvent[] {
  const hashes = new Map(batch.headers.map((h) => [h.number, h.hash]))
  const logIndexOfPool = new Map<string, number>(batch.pools.map((p) => [p.pair, p.logIndex]))
  return normalizeBatch(chainId, batch).flatMap((event) => {
    if (event.type === 'reorg') return []
    const hash = hashes.get(event.blockNumber)
    if (hash === undefined) throw new Error(`no header for block ${event.blockNumber} in the batch`)
    const withLog =
      event.type === 'pool.created' ? { ...event, logIndex: logIndexOfPool.get(event.pool) ?? 0 } : event
    return [toWire(withLog, hash)]
  })
}
