import type { ChatContext } from '../shared/context.js'
import type { BlockedDelivery } from '../webhooks/deliverer.js'
import type { ChatAudit } from './audit.js'

const ONCE_PER_MS = 3600_000

/**
 * A delivery refused by the SSRF policy is a security event (an endpoint whose name now points
 * inside our network). It is audited once per endpoint per hour: retries of the same refusal
 * would otherwise fill the log, and the delivery log already keeps every attempt.
 */
export function auditBlockedDeliveries(ctx: ChatContext, audit: ChatAudit) {
  return async (blocked: BlockedDelivery): Promise<void> => {
    const first = await ctx.cache.set(`webhook-blocked:${blocked.endpointId}`, 1, {
      ttlMs: ONCE_PER_MS,
      ifAbsent: true,
    })
    if (!first) return
    await audit.log.record({
      action: 'webhook.delivery_blocked',
      actor: { type: 'system' },
      appId: blocked.appId,
      target: { type: 'webhook', id: blocked.endpointId },
      outcome: 'denied',
      metadata: {
        deliveryId: blocked.deliveryId,
        url: blocked.url,
        code: blocked.code,
        reason: blocked.reason,
      },
    })
  }
}
