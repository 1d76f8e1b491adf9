import type { App } from '@platform/service-kit/http'
import type { PrivacyRegistry } from '@platform/service-kit/privacy'
import type { Guards } from '../access/principal.js'
import type { ChatAudit } from '../audit/audit.js'
import type { SendDeps } from '../messages/send.js'
import type { ChatPrivacyRequests } from '../privacy/requests.js'
import type { WebhookUrlPolicy } from '../webhooks/url-guard.js'
import type { ChatContext } from './context.js'

/** What route plugins receive: the domain context, the auth guards and the send pipeline. */
export interface ChatServices {
  ctx: ChatContext
  guards: Guards
  send: SendDeps
  /** The kit privacy registry with ChatSDK's exporters, eraser and retention policy. */
  privacy: PrivacyRegistry
  /** Data-subject requests (requested -> verified -> done) over the registry, audited. */
  privacyRequests: ChatPrivacyRequests
  /** The kit audit log, recording who did what from where. */
  audit: ChatAudit
  /** Where webhooks may point (https, public addresses); checked at registration and delivery. */
  webhookPolicy: WebhookUrlPolicy
}

export type RoutePlugin = (app: App, options: { services: ChatServices }) => Promise<void>
