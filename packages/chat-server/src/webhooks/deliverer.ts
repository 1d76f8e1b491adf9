import { sql } from 'kysely'
import type { ChatContext } from '../shared/context.js'
import type { Row } from '../shared/database.js'
import { postWebhook } from './post.js'
import { signWebhook } from './signature.js'
import { WebhookTargetError, type WebhookUrlPolicy, webhookUrlPolicy } from './url-guard.js'

const CLAIM = 20
const MAX_BACKOFF_MS = 3600_000

/** A delivery claimed for an attempt, with where and how to sign it. */
type ClaimedDelivery = Row<'webhook_deliveries'> &
  Pick<Row<'webhook_endpoints'>, 'url' | 'secret' | 'enabled'>

/**
 * Sends due deliveries. Rows are claimed with FOR UPDATE SKIP LOCKED and leased (next_attempt_at
 * pushed past the timeout), so several server processes never post the same delivery at once.
 * A failure schedules the next try after base * 2^(attempts-1) (capped at 1 h, with jitter) until
 * the event is older than WEBHOOK_MAX_AGE_MS (24 h); then it is marked failed. An endpoint whose
 * consecutive failures reach WEBHOOK_DISABLE_AFTER_FAILURES is disabled.
 */
export interface BlockedDelivery {
  appId: string
  endpointId: string
  deliveryId: string
  url: string
  code: WebhookTargetError['code']
  reason: string
}

export class WebhookDeliverer {
  private readonly policy: WebhookUrlPolicy

  /**
   * `policy` re-checks every target at delivery time (SSRF, DNS rebinding); see url-guard.ts.
   * `onBlocked` hears of each refused target (the app audits it).
   */
  constructor(
    private readonly ctx: ChatContext,
    policy?: WebhookUrlPolicy,
    private readonly onBlocked?: (blocked: BlockedDelivery) => Promise<void>,
  ) {
    this.policy = policy ?? webhookUrlPolicy(ctx.config)
  }

  async tick(): Promise<number> {
    const { db, config } = this.ctx
    const lease = config.WEBHOOK_TIMEOUT_MS + 5000
    const { rows } = await sql<ClaimedDelivery>`
      update webhook_deliveries d set next_attempt_at = now() + make_interval(secs => ${lease / 1000})
      from webhook_endpoints e
      where d.id in (
        select id from webhook_deliveries where status = 'pending' and next_attempt_at <= now()
        order by next_attempt_at limit ${CLAIM} for update skip locked)
        and e.app_id = d.app_id and e.id = d.endpoint_id
      returning d.*, e.url, e.secret, e.enabled`.execute(db)
    await Promise.all(rows.map((row) => this.attempt(row)))
    return rows.length
  }

  private async attempt(row: ClaimedDelivery) {
    const { db, config, metrics } = this.ctx
    if (!row.enabled) {
      // disabled endpoints keep their queue; it resumes when they are enabled again
      await sql`update webhook_deliveries set next_attempt_at = now() + interval '1 minute' where id = ${row.id}`.execute(
        db,
      )
      return
    }
    let status: number | null = null
    let error: string | null = null
    try {
      status = await postWebhook(
        row.url,
        {
          headers: {
            'content-type': 'application/json',
            'user-agent': 'ChatSDK-Webhooks/1',
            'x-chatsdk-signature': signWebhook(row.secret, row.body),
            'x-chatsdk-event-id': row.event_id,
            'x-chatsdk-event-type': row.event_type,
            'x-chatsdk-delivery-id': row.id,
          },
          body: row.body,
          timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        },
        this.policy,
      )
    } catch (cause) {
      // a refused target keeps its stable code in the delivery log
      const message =
        cause instanceof WebhookTargetError ? `${cause.code}: ${cause.message}` : (cause as Error).message
      error = message.slice(0, 500)
      if (cause instanceof WebhookTargetError && this.onBlocked) {
        await this.onBlocked({
          appId: row.app_id,
          endpointId: row.endpoint_id,
          deliveryId: row.id,
          url: row.url,
          code: cause.code,
          reason: cause.message,
        }).catch(() => {
          // auditing a refusal must not stop the delivery bookkeeping below
        })
      }
    }
    const attempts = row.attempts + 1
    if (status !== null && status >= 200 && status < 300) {
      metrics.webhookDeliveries.inc({ outcome: 'success' })
      await sql`update webhook_deliveries set status = 'succeeded', attempts = ${attempts}, last_status_code = ${status},
                  last_error = null, delivered_at = now() where id = ${row.id} and app_id = ${row.app_id}`.execute(
        db,
      )
      await sql`update webhook_endpoints set consecutive_failures = 0
                where app_id = ${row.app_id} and id = ${row.endpoint_id}`.execute(db)
      return
    }
    const backoff = Math.min(config.WEBHOOK_RETRY_BASE_MS * 2 ** (attempts - 1), MAX_BACKOFF_MS)
    const delay = Math.round(backoff * (0.8 + Math.random() * 0.4))
    const expired = Date.now() + delay - new Date(row.created_at).getTime() > config.WEBHOOK_MAX_AGE_MS
    metrics.webhookDeliveries.inc({ outcome: expired ? 'failed' : 'retry' })
    await sql`update webhook_deliveries set status = ${expired ? 'failed' : 'pending'}, attempts = ${attempts},
                last_status_code = ${status}, last_error = ${error ?? `HTTP ${status}`},
                next_attempt_at = now() + make_interval(secs => ${delay / 1000})
              where id = ${row.id} and app_id = ${row.app_id}`.execute(db)
    await sql`update webhook_endpoints set consecutive_failures = consecutive_failures + 1,
                enabled = consecutive_failures + 1 < ${config.WEBHOOK_DISABLE_AFTER_FAILURES},
                disabled_at = case when consecutive_failures + 1 >= ${config.WEBHOOK_DISABLE_AFTER_FAILURES}
                                   then coalesce(disabled_at, now()) else disabled_at end
              where app_id = ${row.app_id} and id = ${row.endpoint_id}`.execute(db)
  }
}
