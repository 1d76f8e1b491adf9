/**
 * The production compose stacks as Debian's docker-compose resolves them (`docker-compose config`,
 * every profile on): each long-running service has a health check, a restart policy and resource
 * limits, secrets come only from the env files, and the env files are examples in the repo.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { INTEL_SERVICE_NAMES } from '../../packages/dex-server/src/intel/service.js'
import { NO_INTEL_SERVICES, parseIntelUpstreams } from '../../packages/dex-server/src/intel/upstreams.js'

const here = import.meta.dirname
const stacks = [
  { file: 'chatsdk.production.yml', env: 'chatsdk.env', profiles: ['gateway', 'centrifugo'] },
  { file: 'soba-dex.production.yml', env: 'soba-dex.env', profiles: [] },
]
/** Services without a health check, and why. */
const NO_HEALTHCHECK: Record<string, string> = {
  'es-setup': 'one-shot job',
  'redis-exporter': 'scratch image without a shell or wget; Prometheus `up` watches it',
}
const created: string[] = []

beforeAll(() => {
  // `config` needs the env files to exist; CI has only the examples, which hold placeholders.
  for (const { env } of stacks) {
    const target = join(here, env)
    if (!existsSync(target)) {
      copyFileSync(join(here, `${env}.example`), target)
      created.push(target)
    }
  }
})
afterAll(() => {
  for (const file of created) rmSync(file)
})

describe.each(stacks)('$file', ({ file, profiles }) => {
  const resolved = () => {
    const args = ['-f', join(here, file), ...profiles.flatMap((p) => ['--profile', p]), 'config']
    return parse(execFileSync('docker-compose', args, { encoding: 'utf8' })) as {
      services: Record<string, Record<string, any>>
    }
  }

  it('passes docker-compose config, and every service has limits, a restart policy and a health check', () => {
    const { services } = resolved()
    for (const [name, service] of Object.entries(services)) {
      expect(service.mem_limit, `${name} mem_limit`).toBeDefined()
      expect(service.cpus, `${name} cpus`).toBeDefined()
      if (name === 'es-setup') continue
      expect(service.restart, `${name} restart`).toBe('unless-stopped')
      if (!(name in NO_HEALTHCHECK)) expect(service.healthcheck?.test, `${name} healthcheck`).toBeDefined()
    }
  })

  it('runs the application containers read-only, without capabilities, as the image user', () => {
    const { services } = resolved()
    const apps = Object.entries(services).filter(([, s]) => String(s.image).match(/(chat|dex)-server:/))
    expect(apps.length).toBeGreaterThan(0)
    for (const [name, service] of apps) {
      expect(service.read_only, name).toBe(true)
      expect(service.cap_drop, name).toEqual(['ALL'])
      expect(service.user, name).toBeUndefined()
    }
  })

  it('holds no secret values: credentials come from the env file, whose example has placeholders only', () => {
    const text = readFileSync(join(here, file), 'utf8')
    expect(text).not.toMatch(/(PASSWORD|SECRET|API_KEY|TOKEN)\s*[:=]\s*["']?[A-Za-z0-9]/)
    const example = readFileSync(join(here, `${file.replace('.production.yml', '')}.env.example`), 'utf8')
    for (const line of example.split('\n').filter((l) => /^[A-Z_]*(PASSWORD|SECRET|_KEY|TOKEN)=/.test(l))) {
      expect(line, line).toMatch(/REPLACE_WITH/)
    }
  })
})

it('the Soba DEX stack runs the five intelligence services as separate containers the gateway routes to', () => {
  const { services } = parse(
    execFileSync('docker-compose', ['-f', join(here, 'soba-dex.production.yml'), 'config'], {
      encoding: 'utf8',
    }),
  ) as {
    services: Record<
      string,
      { environment?: Record<string, string>; networks?: Record<string, unknown> | string[] }
    >
  }
  const intel = Object.entries(services).filter(
    ([, s]) => s.environment?.DEX_SERVICES && s.environment.DEX_SERVICES !== NO_INTEL_SERVICES,
  )
  expect(intel.map(([, s]) => s.environment?.DEX_SERVICES).sort()).toEqual([...INTEL_SERVICE_NAMES].sort())

  // The gateway runs none of them itself and sends each one's routes to its container, by the
  // container's name and port, over a network both are on.
  const gateway = services.gateway
  expect(gateway?.environment?.DEX_SERVICES).toBe(NO_INTEL_SERVICES)
  const { upstreams, issues } = parseIntelUpstreams(
    (gateway?.environment?.DEX_INTEL_UPSTREAMS ?? '').split(','),
    [],
  )
  expect(issues).toEqual([])
  const networksOf = (s: { networks?: Record<string, unknown> | string[] }) =>
    Array.isArray(s.networks) ? s.networks : Object.keys(s.networks ?? {})
  expect(upstreams.map((u) => u.service).sort()).toEqual([...INTEL_SERVICE_NAMES].sort())
  for (const [name, service] of intel) {
    const upstream = upstreams.find((u) => u.service === service.environment?.DEX_SERVICES)
    expect(upstream?.origin, name).toBe(`http://${name}:${service.environment?.PORT}`)
    expect(
      networksOf(service).filter((n) => networksOf(gateway ?? {}).includes(n)),
      name,
    ).not.toEqual([])
    // Behind the gateway, which limits per client: a limit here would put every client in one bucket.
    expect(service.environment?.RATE_LIMIT_ENABLED, name).toBe('false')
    // One role writes the index: the intel containers follow it in the database.
    expect(service.environment?.DEX_INDEXER, name).toBe('false')
  }
  expect(gateway?.environment?.DEX_INDEXER).toBe('true')
  const indexers = Object.entries(services).filter(([, s]) => s.environment?.DEX_INDEXER !== 'false')
  expect(indexers.filter(([, s]) => s.environment?.DEX_SERVICES).map(([name]) => name)).toEqual(['gateway'])
})
