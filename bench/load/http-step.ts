/**
 * Runs one step of the profile: one autocannon instance per endpoint, all at once, with the step's
 * connections split among them by weight. Every response's latency is recorded per endpoint (the
 * `response` event), so the report has true p95s (autocannon's own summary has no p95).
 */
import autocannon from 'autocannon'

export interface Endpoint {
  name: string
  /** `health` endpoints are held to the health threshold, the rest to the API threshold. */
  kind: 'health' | 'api'
  /** Share of the step's connections (relative to the other endpoints' weights). */
  weight: number
  method: 'GET' | 'POST'
  /** Path for the `n`-th request a connection makes; `vu` numbers the connection. */
  path: (vu: number) => string
  headers?: (vu: number) => Record<string, string>
  body?: (vu: number, n: number) => unknown
}

export interface EndpointSamples {
  latenciesMs: number[]
  errors: number
  statuses: Record<string, number>
}

export function splitConnections(endpoints: Endpoint[], connections: number): number[] {
  const totalWeight = endpoints.reduce((sum, e) => sum + e.weight, 0)
  return endpoints.map((e) => Math.max(1, Math.round((connections * e.weight) / totalWeight)))
}

export async function runHttpStep(
  baseUrl: string,
  endpoints: Endpoint[],
  connections: number,
  seconds: number,
  samples: Map<string, EndpointSamples>,
): Promise<void> {
  const shares = splitConnections(endpoints, connections)
  let nextVu = 0
  await Promise.all(
    endpoints.map((endpoint, index) => {
      const record = samples.get(endpoint.name) ?? { latenciesMs: [], errors: 0, statuses: {} }
      samples.set(endpoint.name, record)
      let finished: (error: unknown) => void = () => {}
      const done = new Promise<void>((resolve, reject) => {
        finished = (error) => (error ? reject(error) : resolve())
      })
      // the callback form returns the instance, whose events carry each response's latency
      const instance = autocannon(
        {
          url: baseUrl,
          connections: shares[index] as number,
          duration: seconds,
          requests: [
            {
              method: endpoint.method,
              setupRequest: (request, context: { vu?: number; n?: number }) => {
                context.vu ??= nextVu++
                context.n = (context.n ?? 0) + 1
                const body = endpoint.body?.(context.vu, context.n)
                return {
                  ...request,
                  path: endpoint.path(context.vu),
                  headers: {
                    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
                    ...endpoint.headers?.(context.vu),
                  },
                  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
                }
              },
            },
          ],
        },
        (error) => finished(error),
      )
      instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
        record.latenciesMs.push(responseTimeMs)
        record.statuses[statusCode] = (record.statuses[statusCode] ?? 0) + 1
        if (statusCode >= 400) record.errors++
      })
      instance.on('reqError', () => {
        record.errors++
        record.statuses.transport = (record.statuses.transport ?? 0) + 1
      })
      return done
    }),
  )
}
