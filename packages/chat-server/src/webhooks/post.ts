import http from 'node:http'
import https from 'node:https'
import { guardedTarget, type WebhookUrlPolicy } from './url-guard.js'

/**
 * One webhook POST through node:http(s) rather than fetch, because the socket's DNS lookup must
 * go through the SSRF policy (guardedTarget) and fetch offers no such hook without undici.
 * Redirects are not followed (a 3xx is a failed delivery): a redirect could point anywhere.
 */
export function postWebhook(
  raw: string,
  request: { headers: Record<string, string>; body: string; timeoutMs: number },
  policy: WebhookUrlPolicy,
): Promise<number> {
  const { url, lookup } = guardedTarget(raw, policy)
  const transport = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const outgoing = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        lookup,
        signal: AbortSignal.timeout(request.timeoutMs),
        // a fresh connection per delivery: a pooled socket would skip the lookup, and with it the check
        agent: false,
      },
      (response) => {
        // the body is not used; drain it so the socket closes cleanly
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
        response.on('error', reject)
      },
    )
    outgoing.on('error', reject)
    outgoing.end(request.body)
  })
}
