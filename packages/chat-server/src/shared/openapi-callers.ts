import type { App } from '@platform/service-kit/http'
import type { Guards } from '../access/principal.js'

/** Who may call an operation, as the OpenAPI extension `x-chatsdk-callers` says. */
export type Caller = 'admin' | 'server' | 'user' | 'anyone'

export const CALLERS_EXTENSION = 'x-chatsdk-callers'

/**
 * Writes each route's callers into its OpenAPI operation, read from the guard the route declares,
 * so the document says which credentials a route takes and the client SDK's generated types cover
 * exactly the routes a user token may call (packages/chat-client/scripts/generate-api.ts).
 * Routes with no guard (token refresh, signed file URLs) authenticate inside and are `anyone`.
 */
export function documentCallers(scope: App, guards: Guards): void {
  const byGuard = new Map<unknown, Caller[]>([
    [guards.admin, ['admin']],
    [guards.server, ['server']],
    [guards.user, ['user']],
    [guards.app, ['server', 'user']],
  ])
  scope.addHook('onRoute', (route) => {
    if (!route.schema) return
    const hooks = [route.preHandler].flat().filter(Boolean)
    const callers = hooks.flatMap((hook) => byGuard.get(hook) ?? [])
    ;(route.schema as Record<string, unknown>)[CALLERS_EXTENSION] = callers.length > 0 ? callers : ['anyone']
  })
}
