import { sql } from 'kysely'
import type { ChatContext } from '../shared/context.js'
import { randomToken } from '../shared/crypto.js'
import type { Row } from '../shared/database.js'
import { isUuid, uuidv7 } from '../shared/ids.js'
import { notFound } from '../shared/problems.js'
import { iso, isoOrNull } from '../shared/time.js'

export interface WebhookEndpoint {
  id: string
  url: string
  eventTypes: string[]
  enabled: boolean
  consecutiveFailures: number
  disabledAt: string | null
  createdAt: string
}

export async function createEndpoint(
  ctx: ChatContext,
  appId: string,
  input: { url: string; eventTypes?: string[] | undefined },
) {
  const secret = `whsec_${randomToken(24)}`
  const row = await ctx.db
    .insertInto('webhook_endpoints')
    .values({
      app_id: appId,
      id: uuidv7(),
      url: input.url,
      secret,
      event_types: [...new Set(input.eventTypes ?? [])],
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { endpoint: toEndpoint(row), secret }
}

export async function listEndpoints(ctx: ChatContext, appId: string): Promise<WebhookEndpoint[]> {
  const rows = await ctx.db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('app_id', '=', appId)
    .orderBy('id')
    .execute()
  return rows.map(toEndpoint)
}

export async function getEndpoint(ctx: ChatContext, appId: string, id: string): Promise<WebhookEndpoint> {
  return toEndpoint(await endpointRow(ctx, appId, id))
}

async function endpointRow(ctx: ChatContext, appId: string, id: string) {
  if (!isUuid(id)) throw notFound('webhook')
  const row = await ctx.db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('app_id', '=', appId)
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) throw notFound('webhook')
  return row
}

/** Re-enabling an endpoint clears its failure streak. */
export async function updateEndpoint(
  ctx: ChatContext,
  appId: string,
  id: string,
  input: { url?: string | undefined; eventTypes?: string[] | undefined; enabled?: boolean | undefined },
): Promise<WebhookEndpoint> {
  await endpointRow(ctx, appId, id)
  const set: Record<string, unknown> = {}
  if (input.url !== undefined) set.url = input.url
  if (input.eventTypes !== undefined) set.event_types = [...new Set(input.eventTypes)]
  if (input.enabled !== undefined) {
    set.enabled = input.enabled
    set.disabled_at = input.enabled ? null : sql`now()`
    if (input.enabled) set.consecutive_failures = 0
  }
  if (Object.keys(set).length === 0) return getEndpoint(ctx, appId, id)
  const row = await ctx.db
    .updateTable('webhook_endpoints')
    .set(set)
    .where('app_id', '=', appId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toEndpoint(row)
}

export async function deleteEndpoint(ctx: ChatContext, appId: string, id: string): Promise<void> {
  await endpointRow(ctx, appId, id)
  await ctx.db.deleteFrom('webhook_endpoints').where('app_id', '=', appId).where('id', '=', id).execute()
}

export interface Delivery {
  id: string
  endpointId: string
  eventId: string
  eventType: string
  status: 'pending' | 'succeeded' | 'failed'
  attempts: number
  nextAttemptAt: string | null
  lastStatusCode: number | null
  lastError: string | null
  deliveredAt: string | null
  createdAt: string
}

export async function listDeliveries(
  ctx: ChatContext,
  appId: string,
  endpointId: string,
  options: { status?: Delivery['status'] | undefined; limit: number },
): Promise<Delivery[]> {
  await endpointRow(ctx, appId, endpointId)
  let q = ctx.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('app_id', '=', appId)
    .where('endpoint_id', '=', endpointId)
  if (options.status) q = q.where('status', '=', options.status)
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute()
  return rows.map(toDelivery)
}

/** Manual redelivery: the delivery goes back to the queue now, whatever its state. */
export async function redeliver(
  ctx: ChatContext,
  appId: string,
  endpointId: string,
  deliveryId: string,
): Promise<Delivery> {
  await endpointRow(ctx, appId, endpointId)
  if (!isUuid(deliveryId)) throw notFound('delivery')
  const row = await ctx.db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: sql`now()` })
    .where('app_id', '=', appId)
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', deliveryId)
    .returningAll()
    .executeTakeFirst()
  if (!row) throw notFound('delivery')
  return toDelivery(row)
}

export function toEndpoint(row: Row<'webhook_endpoints'>): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.event_types ?? [],
    enabled: row.enabled,
    consecutiveFailures: row.consecutive_failures,
    disabledAt: isoOrNull(row.disabled_at),
    createdAt: iso(row.created_at),
  }
}

function toDelivery(row: Row<'webhook_deliveries'>): Delivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    deliveredAt: isoOrNull(row.delivered_at),
    createdAt: iso(row.created_at),
  }
}
