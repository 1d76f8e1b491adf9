import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseConfigSchema, loadConfig } from '../config/index.js'
import { type App, createApp } from '../http/index.js'
import { memoryLogger } from '../http/test-support.js'
import { slowThresholdsFromConfig, startTracingFromConfig } from './from-config.js'

const servers: Server[] = []
let redis: Redis | undefined
let app: App | undefined

afterAll(async () => {
  await app?.close()
  redis?.disconnect()
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
})

/** A downstream HTTP service that answers after `delayMs`. */
async function slowService(delayMs: number): Promise<string> {
  const server = createServer((_request, response) => {
    setTimeout(() => response.end('{}'), delayMs)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function get(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    httpRequest(url, (response) => response.resume().on('end', resolve))
      .on('error', reject)
      .end()
  })
}

describe('tracing from config', () => {
  // This file owns the process's tracer (the NodeSDK is global), started without an endpoint.
  const config = loadConfig(baseConfigSchema, { SLOW_DB_MS: '30', SLOW_EXTERNAL_MS: '30' })
  const tracing = startTracingFromConfig(config, 'slow-test')
  const { logger, lines } = memoryLogger('slow-test')
  let appUrl: string
  let slowUrl: string

  // An app as the servers build it: the config's thresholds, the tracer, routes calling out.
  beforeAll(async () => {
    slowUrl = await slowService(120)
    if (process.env.REDIS_URL) redis = new Redis(process.env.REDIS_URL)
    app = await createApp({
      service: 'slow-test',
      logger,
      openapi: { title: 't' },
      tracing,
      slowOperations: slowThresholdsFromConfig(config),
    })
    app.get('/v1/outgoing', async () => {
      await get(`${slowUrl}/quote?secret=1`)
      return {}
    })
    // BLPOP on a list nobody fills waits out its 0.2 s timeout: a Redis call that is really slow.
    app.get('/v1/redis', async () => ({
      popped: await redis!.blpop(`slow-test:${process.pid}:empty`, 0.2),
      pong: await redis!.ping(),
    }))
    appUrl = await app.listen({ port: 0, host: '127.0.0.1' })
  })

  /** The slow-operation lines of a kind, once the log stream has delivered what was written. */
  async function slowLines(kind: string) {
    await new Promise((resolve) => setImmediate(resolve))
    return lines.filter((line) => line.slow?.kind === kind)
  }

  it('warns about a slow outgoing HTTP call without an OTLP endpoint', async () => {
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined()
    expect((await fetch(`${appUrl}/v1/outgoing`)).status).toBe(200)
    const warned = (await slowLines('external')).find((line) => line['url.full'] === `${slowUrl}/quote`)
    expect(warned?.slow).toMatchObject({ thresholdMs: 30 })
    expect(warned!.slow.durationMs).toBeGreaterThanOrEqual(120)
  })

  it.runIf(process.env.REDIS_URL)('warns about a slow Redis call without an OTLP endpoint', async () => {
    expect((await fetch(`${appUrl}/v1/redis`)).status).toBe(200)
    const warned = (await slowLines('db')).find((line) => line['span.name'] === 'blpop')
    expect(warned).toMatchObject({ 'db.system': 'redis', slow: { thresholdMs: 30 } })
  })

  it('reads the sampler with its production default and the SLOW_* thresholds', () => {
    const defaults = loadConfig(baseConfigSchema, {})
    expect(defaults.OTEL_TRACES_SAMPLER).toBe('parentbased_traceidratio')
    expect(defaults.OTEL_TRACES_SAMPLER_ARG).toBe(0.1)
    expect(tracing.sampling).toEqual({ sampler: 'parentbased_traceidratio', ratio: 0.1 })
    const tuned = loadConfig(baseConfigSchema, {
      OTEL_TRACES_SAMPLER_ARG: '1',
      SLOW_DB_MS: '50',
      SLOW_REQUEST_MS: '300',
      SLOW_EXTERNAL_MS: '900',
    })
    expect(tuned.OTEL_TRACES_SAMPLER_ARG).toBe(1)
    expect(slowThresholdsFromConfig(tuned)).toEqual({ dbMs: 50, requestMs: 300, externalMs: 900 })
    expect(() => loadConfig(baseConfigSchema, { OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(
      /OTEL_TRACES_SAMPLER_ARG/,
    )
  })
})
