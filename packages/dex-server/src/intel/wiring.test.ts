import { type App, createApp } from '@platform/service-kit/http'
import { createLogger } from '@platform/service-kit/logging'
import { afterEach, describe, expect, it } from 'vitest'
import type { DexDeps } from '../app.js'
import { loadDexConfig } from '../config.js'
import { mountIntelServices } from './mount.js'
import { selectIntelServices } from './registry.js'
import type { IntelService, IntelServiceName } from './service.js'
import { startIntelWorkers } from './workers.js'

/** A service whose health and worker the test controls; its one route echoes its name. */
function testService(name: IntelServiceName, journal: string[] = [], healthy = () => true): IntelService {
  return {
    name,
    routes: async (app) => {
      app.get(`/${name}/echo`, async () => ({ service: name }))
    },
    health: () => ({
      name,
      check: async () => {
        if (!healthy()) throw new Error(`${name} worker down`)
      },
    }),
    start: async () => {
      journal.push(`start ${name}`)
      return { stop: async () => void journal.push(`stop ${name}`) }
    },
  }
}

const deps = (env: Record<string, string> = {}) =>
  ({
    config: loadDexConfig(env),
    logger: createLogger({ service: 'intel-test', level: 'silent' }),
  }) as DexDeps

describe('intel wiring', () => {
  let app: App | undefined
  afterEach(async () => {
    await app?.close()
    app = undefined
  })

  it('DEX_SERVICES defaults to all five and rejects a name that is not a service', () => {
    expect(loadDexConfig({}).DEX_SERVICES).toEqual(['pipeline', 'risk', 'chain', 'predict', 'language'])
    expect(loadDexConfig({ DEX_SERVICES: 'risk, chain' }).DEX_SERVICES).toEqual(['risk', 'chain'])
    expect(() => loadDexConfig({ DEX_SERVICES: 'risk,fraud' })).toThrow(/DEX_SERVICES/)
  })

  it('DEX_SERVICES=none runs no service, and cannot be listed with one', () => {
    expect(loadDexConfig({ DEX_SERVICES: 'none' }).DEX_SERVICES).toEqual([])
    expect(() => loadDexConfig({ DEX_SERVICES: 'none,risk' })).toThrow(
      /DEX_SERVICES: "none" cannot be listed with services/,
    )
  })

  it('DEX_INTEL_UPSTREAMS maps services to origins and refuses what it cannot route', () => {
    const config = loadDexConfig({
      DEX_SERVICES: 'pipeline',
      DEX_INTEL_UPSTREAMS: 'risk=http://intel-risk:3000, chain=https://chain.internal/',
    })
    expect(config.DEX_INTEL_UPSTREAMS).toEqual([
      { service: 'risk', origin: 'http://intel-risk:3000' },
      { service: 'chain', origin: 'https://chain.internal' },
    ])
    expect(loadDexConfig({}).DEX_INTEL_UPSTREAMS).toEqual([])
    const refused =
      (upstreams: string, services = 'none') =>
      () =>
        loadDexConfig({ DEX_SERVICES: services, DEX_INTEL_UPSTREAMS: upstreams })
    expect(refused('fraud=http://x:3000')).toThrow(
      /DEX_INTEL_UPSTREAMS: "fraud" is not an intelligence service/,
    )
    expect(refused('risk')).toThrow(/DEX_INTEL_UPSTREAMS: "risk" is not <service>=<url>/)
    expect(refused('risk=intel-risk:3000')).toThrow(/risk: "intel-risk:3000" is not an http\(s\) URL/)
    expect(refused('risk=not a url')).toThrow(/risk: "not a url" is not a URL/)
    expect(refused('risk=http://intel-risk:3000/v1')).toThrow(/must be an origin only/)
    expect(refused('risk=http://user:pw@intel-risk:3000')).toThrow(/must not carry credentials/)
    expect(refused('risk=http://a:1,risk=http://b:1')).toThrow(/risk is named twice/)
    // The default DEX_SERVICES runs all five here: none of them can also be remote.
    expect(refused('risk=http://intel-risk:3000', 'risk,chain')).toThrow(
      /risk runs in this process \(DEX_SERVICES\) and cannot also be remote/,
    )
    expect(() => loadDexConfig({ DEX_INTEL_UPSTREAMS: 'predict=http://p:3000' })).toThrow(
      /predict runs in this process/,
    )
    // Every bad entry at once, so an operator fixes them in one go.
    expect(refused('fraud=http://x:1,chain=ftp://c')).toThrow(/fraud[\s\S]*chain: "ftp:\/\/c"/)
  })

  it('selects the named services in registry order and reports names not built here', () => {
    const available = [testService('pipeline'), testService('risk'), testService('chain')]
    const { services, missing } = selectIntelServices(['chain', 'predict', 'pipeline'], available)
    expect(services.map((s) => s.name)).toEqual(['pipeline', 'chain'])
    expect(missing).toEqual(['predict'])
  })

  it('mounts routes under /v1/intel and answers each service health, 503 problem+json when down', async () => {
    let riskUp = true
    app = await createApp({ service: 'intel-wiring-test', logger: deps().logger, openapi: { title: 'test' } })
    const services = [testService('pipeline'), testService('risk', [], () => riskUp)]
    await app.register(async (scope) => mountIntelServices(services)(scope as unknown as App, deps()))

    expect((await app.inject('/v1/intel/risk/echo')).json()).toEqual({ service: 'risk' })
    const up = await app.inject('/v1/intel/risk/health')
    expect(up.statusCode).toBe(200)
    expect(up.json()).toMatchObject({ status: 'ok', service: 'risk' })

    riskUp = false
    const down = await app.inject('/v1/intel/risk/health')
    expect(down.statusCode).toBe(503)
    expect(down.headers['content-type']).toContain('application/problem+json')
    expect(down.json()).toMatchObject({ code: 'service_unavailable' })
    expect((await app.inject('/v1/intel/pipeline/health')).statusCode).toBe(200)

    const ready = await app.inject('/health/ready')
    expect(ready.statusCode).toBe(503)
    expect(ready.json().failed).toEqual(['intel.risk'])
    expect((await app.inject('/v1/intel/chain/health')).statusCode).toBe(404)
  })

  it('starts workers in order, stops them in reverse, and undoes a start that fails midway', async () => {
    const journal: string[] = []
    const workers = await startIntelWorkers(
      [testService('pipeline', journal), testService('risk', journal)],
      deps(),
    )
    await workers.stop()
    expect(journal).toEqual(['start pipeline', 'start risk', 'stop risk', 'stop pipeline'])

    journal.length = 0
    const broken: IntelService = {
      ...testService('chain', journal),
      start: async () => {
        throw new Error('no graph')
      },
    }
    await expect(startIntelWorkers([testService('pipeline', journal), broken], deps())).rejects.toThrow(
      'no graph',
    )
    expect(journal).toEqual(['start pipeline', 'stop pipeline'])
  })
})
