import { Type } from '@sinclair/typebox'
import { appOf } from '../access/principal.js'
import { errorResponses, Obj, UuidString } from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  redeliver,
  updateEndpoint,
} from './endpoints.js'
import { assertWebhookUrlForRoute } from './url-guard.js'

const EndpointSchema = Obj({
  id: Type.String(),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  consecutiveFailures: Type.Integer(),
  disabledAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
})
const DeliverySchema = Obj({
  id: Type.String(),
  endpointId: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
})
const Url = Type.String({
  pattern: '^https?://',
  maxLength: 2048,
  description:
    'https (http only where WEBHOOK_ALLOW_HTTP); must not resolve to private, loopback, link-local or metadata addresses',
  examples: ['https://example.com/chat-hooks'],
})
const EventTypes = Type.Array(Type.String({ pattern: '^[a-z*][a-z_.*]{0,63}$' }), {
  maxItems: 50,
  description: 'Event types (message.new, reaction.*, …); empty = every durable event',
})
const EndpointParams = Type.Object({ endpointId: UuidString('Endpoint id') })

/** Per-app webhook endpoints (X-API-Key). Deliveries carry X-ChatSDK-Signature: t=…,v1=HMAC-SHA256(secret, t.body). */
export const webhookRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards, audit, webhookPolicy } = services
  const server = { preHandler: guards.server }
  const tags = ['webhooks']

  app.post(
    '/webhooks',
    {
      ...server,
      schema: {
        tags,
        summary: 'Add an endpoint; the signing secret is shown only in this answer',
        body: Type.Object(
          { url: Url, eventTypes: Type.Optional(EventTypes) },
          {
            additionalProperties: false,
            examples: [{ url: 'https://example.com/chat-hooks', eventTypes: ['message.new', 'reaction.*'] }],
          },
        ),
        response: { 201: Obj({ endpoint: EndpointSchema, secret: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      await assertWebhookUrlForRoute(request.body.url, webhookPolicy)
      const created = await audit.change(
        request,
        ctx,
        (tx) => createEndpoint(tx, appOf(request).appId, request.body),
        ({ endpoint }) => ({
          action: 'webhook.created',
          target: { type: 'webhook', id: endpoint.id },
          metadata: { url: endpoint.url, eventTypes: endpoint.eventTypes },
        }),
      )
      return reply.code(201).send(created)
    },
  )
  app.get(
    '/webhooks',
    {
      ...server,
      schema: {
        tags,
        summary: 'List endpoints',
        response: { 200: Obj({ endpoints: Type.Array(EndpointSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      endpoints: await listEndpoints(ctx, appOf(request).appId),
    }),
  )
  app.get(
    '/webhooks/:endpointId',
    {
      ...server,
      schema: {
        tags,
        summary: 'One endpoint',
        params: EndpointParams,
        response: { 200: Obj({ endpoint: EndpointSchema }), ...errorResponses },
      },
    },
    async (request) => ({
      endpoint: await getEndpoint(ctx, appOf(request).appId, request.params.endpointId),
    }),
  )
  app.patch(
    '/webhooks/:endpointId',
    {
      ...server,
      schema: {
        tags,
        summary: 'Change URL or event types, or enable again after auto-disable',
        params: EndpointParams,
        body: Type.Object(
          {
            url: Type.Optional(Url),
            eventTypes: Type.Optional(EventTypes),
            enabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1, examples: [{ enabled: true }] },
        ),
        response: { 200: Obj({ endpoint: EndpointSchema }), ...errorResponses },
      },
    },
    async (request) => {
      if (request.body.url !== undefined) await assertWebhookUrlForRoute(request.body.url, webhookPolicy)
      const endpoint = await audit.change(
        request,
        ctx,
        (tx) => updateEndpoint(tx, appOf(request).appId, request.params.endpointId, request.body),
        (endpoint) => ({
          action: 'webhook.updated',
          target: { type: 'webhook', id: endpoint.id },
          metadata: { changes: request.body },
        }),
      )
      return { endpoint }
    },
  )
  app.delete(
    '/webhooks/:endpointId',
    {
      ...server,
      schema: {
        tags,
        summary: 'Remove an endpoint',
        params: EndpointParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await audit.change(
        request,
        ctx,
        (tx) => deleteEndpoint(tx, appOf(request).appId, request.params.endpointId),
        () => ({ action: 'webhook.deleted', target: { type: 'webhook', id: request.params.endpointId } }),
      )
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/webhooks/:endpointId/deliveries',
    {
      ...server,
      schema: {
        tags,
        summary: 'Delivery log, newest first',
        params: EndpointParams,
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
          ),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: Obj({ deliveries: Type.Array(DeliverySchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      deliveries: await listDeliveries(ctx, appOf(request).appId, request.params.endpointId, request.query),
    }),
  )
  app.post(
    '/webhooks/:endpointId/deliveries/:deliveryId/redeliver',
    {
      ...server,
      schema: {
        tags,
        summary: 'Send a delivery again now',
        params: Type.Object({ ...EndpointParams.properties, deliveryId: UuidString('Delivery id') }),
        response: { 200: Obj({ delivery: DeliverySchema }), ...errorResponses },
      },
    },
    async (request) => ({
      delivery: await redeliver(
        ctx,
        appOf(request).appId,
        request.params.endpointId,
        request.params.deliveryId,
      ),
    }),
  )
}
