import type { App } from '@platform/service-kit/http'
import { negotiateLocale, problemTitle } from './messages.js'

/**
 * Problem answers in the caller's language: when a request says Accept-Language, the problem's
 * `title` becomes the catalog message for its `code` in the best supported locale (en, ja, es, zh)
 * and Content-Language says which. `code` stays the stable key clients switch on; `detail` (often
 * naming the offending value) stays as the route wrote it. Requests without the header are left as
 * they are.
 */
export function localizeProblems(app: App): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const header = request.headers['accept-language']
    if (header === undefined || typeof payload !== 'string') return payload
    if (!String(reply.getHeader('content-type') ?? '').startsWith('application/problem+json')) return payload
    const locale = negotiateLocale(header)
    let body: { code?: unknown; title?: unknown }
    try {
      body = JSON.parse(payload)
    } catch {
      return payload
    }
    const title = typeof body.code === 'string' ? problemTitle(body.code, locale) : undefined
    if (title === undefined) return payload
    reply.header('content-language', locale)
    return JSON.stringify({ ...body, title })
  })
}
