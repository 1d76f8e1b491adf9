import { TypeCompiler } from '@sinclair/typebox/compiler'
import { getAddress } from 'viem'
import { LiquidityEvent, type PipelineEvent, PoolCreatedEvent, ReorgEvent, SwapEvent } from './events.js'

/** One compiled schema per event type: errors then point into the event, not at the union. */
const liquidity = TypeCompiler.Compile(LiquidityEvent)
const schemas: Record<string, ReturnType<typeof TypeCompiler.Compile>> = {
  'pool.created': TypeCompiler.Compile(PoolCreatedEvent),
  swap: TypeCompiler.Compile(SwapEvent),
  'liquidity.mint': liquidity,
  'liquidity.burn': liquidity,
  reorg: TypeCompiler.Compile(ReorgEvent),
}
const ADDRESS_FIELDS = ['pool', 'token0', 'token1', 'sender', 'recipient'] as const

/** Why an event cannot be applied; `code` is stable, `path` points into the event. */
export class PoisonEvent extends Error {
  constructor(
    readonly code:
      | 'schema_invalid'
      | 'address_not_checksummed'
      | 'out_of_order'
      | 'unknown_pool'
      | 'handler_failed',
    message: string,
    readonly path?: string,
  ) {
    super(message)
    this.name = 'PoisonEvent'
  }
}

/**
 * Checks an event against its schema (integer-string amounts, hex addresses, ISO times) and
 * that every address is EIP-55 checksummed. Throws a PoisonEvent naming the first bad field.
 */
export function validateEvent(payload: unknown): PipelineEvent {
  const type = (payload as { type?: unknown } | null)?.type
  const schema = typeof type === 'string' ? schemas[type] : undefined
  if (schema === undefined) throw new PoisonEvent('schema_invalid', `/type: unknown event type`, '/type')
  if (!schema.Check(payload)) {
    const first = schema.Errors(payload).First()
    throw new PoisonEvent(
      'schema_invalid',
      `${first?.path || '/'}: ${first?.message ?? 'invalid'}`,
      first?.path,
    )
  }
  const event = payload as PipelineEvent
  if (event.type === 'reorg') return event
  for (const field of ADDRESS_FIELDS) {
    const value = (event as Record<string, unknown>)[field]
    if (typeof value === 'string' && getAddress(value) !== value) {
      throw new PoisonEvent(
        'address_not_checksummed',
        `/${field}: ${value} is not EIP-55 checksummed`,
        `/${field}`,
      )
    }
  }
  return event
}
