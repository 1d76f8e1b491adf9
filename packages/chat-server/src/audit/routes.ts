import type { AuditQuery, AuditRecord } from '@platform/service-kit/audit'
import { Type } from '@sinclair/typebox'
import { appOf } from '../access/principal.js'
import { errorResponses, Obj, UuidString } from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import { getChatApp } from '../tenants/apps.js'

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()])
const EntrySchema = Obj({
  id: Type.String(),
  occurredAt: Type.String(),
  appId: Nullable(Type.String()),
  action: Type.String({ examples: ['apikey.revoked'] }),
  actor: Obj({ type: Type.String(), id: Type.Optional(Type.String()) }),
  target: Type.Union([Obj({ type: Type.String(), id: Type.String() }), Type.Null()]),
  outcome: Type.String(),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  metadata: Type.Record(Type.String(), Type.Unknown()),
})
const AuditPage = Obj({
  entries: Type.Array(EntrySchema),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as `after` for the next (older) page',
  }),
})
const Filter = Type.String({ minLength: 1, maxLength: 200 })
const AuditFilters = Type.Object(
  {
    action: Type.Optional(Filter),
    actorType: Type.Optional(Filter),
    actorId: Type.Optional(Filter),
    targetType: Type.Optional(Filter),
    targetId: Type.Optional(Filter),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive' })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    after: Type.Optional(UuidString('Last entry id of the previous page')),
  },
  { additionalProperties: false },
)
type Filters = (typeof AuditFilters)['static']

/**
 * The app's audit log, newest first: for the operator (any app, by id) and for the app's own
 * backend. Every query is pinned to one app id, whatever the filters say.
 */
export const auditRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards, audit } = services
  const tags = ['audit']

  const page = async (appId: string, filters: Filters) => {
    const query: AuditQuery = { appId, limit: filters.limit }
    for (const key of ['action', 'actorType', 'actorId', 'targetType', 'targetId', 'after'] as const) {
      if (filters[key] !== undefined) query[key] = filters[key]
    }
    if (filters.from) query.from = new Date(filters.from)
    if (filters.to) query.to = new Date(filters.to)
    const entries: AuditRecord[] = await audit.log.query(query)
    return { entries, next: entries.length === filters.limit ? (entries.at(-1)?.id ?? null) : null }
  }

  app.get(
    '/admin/apps/:appId/audit',
    {
      preHandler: guards.admin,
      schema: {
        tags: ['admin', ...tags],
        summary: "An app's audit log (operator)",
        params: Type.Object({ appId: UuidString('App id') }),
        querystring: AuditFilters,
        response: { 200: AuditPage, ...errorResponses },
      },
    },
    async (request) => {
      const result = await page(request.params.appId, request.query)
      // A deleted app keeps its trail (who deleted it); an unknown id with no trail is a 404, so
      // a typo is not read as "no activity".
      if (result.entries.length === 0 && !request.query.after) await getChatApp(ctx, request.params.appId)
      return result
    },
  )
  app.get(
    '/app/audit',
    {
      preHandler: guards.server,
      schema: {
        tags: ['app', ...tags],
        summary: "This app's audit log (backend)",
        querystring: AuditFilters,
        response: { 200: AuditPage, ...errorResponses },
      },
    },
    async (request) => page(appOf(request).appId, request.query),
  )
}
