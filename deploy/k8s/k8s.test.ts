/**
 * Every overlay as `kubectl kustomize` renders it: each object validates against the Kubernetes
 * schemas of kubernetes-models, and the policy holds: every container has resource limits, liveness
 * and readiness probes, runs as non-root on a read-only root file system without capabilities;
 * the drain budget (preStop + SHUTDOWN_TIMEOUT_MS) fits the termination grace period.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'
import { INTEL_SERVICE_NAMES } from '../../packages/dex-server/src/intel/service.js'
import { NO_INTEL_SERVICES, parseIntelUpstreams } from '../../packages/dex-server/src/intel/upstreams.js'

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: any }

const overlays = ['staging', 'production']

function render(overlay: string): Manifest[] {
  const text = execFileSync('kubectl', ['kustomize', join(import.meta.dirname, 'overlays', overlay)], {
    encoding: 'utf8',
  })
  return parseAllDocuments(text).map((doc) => doc.toJSON() as Manifest)
}

/** The kubernetes-models class for an object: `apps/v1` -> kubernetes-models/apps/v1, core `v1` -> v1. */
async function modelFor(manifest: Manifest): Promise<new (data: unknown) => { validate(): void }> {
  const module = (await import(`kubernetes-models/${manifest.apiVersion}`)) as Record<string, any>
  const model = module[manifest.kind]
  if (!model) throw new Error(`kubernetes-models has no ${manifest.apiVersion} ${manifest.kind}`)
  return model
}

const podSpecOf = (m: Manifest) => m.spec?.template?.spec

describe.each(overlays)('overlay %s', (overlay) => {
  const manifests = render(overlay)

  it('validates every object against the kubernetes-models schemas', async () => {
    expect(manifests.length).toBeGreaterThan(20)
    for (const manifest of manifests) {
      const Model = await modelFor(manifest)
      expect(() => new Model(manifest).validate(), `${manifest.kind}/${manifest.metadata.name}`).not.toThrow()
    }
  })

  it('gives every container limits, probes, a non-root user, a read-only root and no capabilities', () => {
    const workloads = manifests.filter((m) => podSpecOf(m))
    expect(workloads.map((m) => m.metadata.name).sort()).toEqual([
      'chat-api',
      'chat-gateway',
      'dex-gateway',
      ...INTEL_SERVICE_NAMES.map((name) => `dex-intel-${name}`).sort(),
      'postgres',
      'redis',
    ])
    for (const workload of workloads) {
      const pod = podSpecOf(workload)
      expect(pod.automountServiceAccountToken, workload.metadata.name).toBe(false)
      for (const container of pod.containers) {
        const where = `${workload.metadata.name}/${container.name}`
        expect(container.resources?.limits?.cpu, where).toBeDefined()
        expect(container.resources?.limits?.memory, where).toBeDefined()
        expect(container.livenessProbe, where).toBeDefined()
        expect(container.readinessProbe, where).toBeDefined()
        expect(container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot, where).toBe(true)
        expect(container.securityContext?.readOnlyRootFilesystem, where).toBe(true)
        expect(container.securityContext?.allowPrivilegeEscalation, where).toBe(false)
        expect(container.securityContext?.capabilities?.drop, where).toEqual(['ALL'])
      }
    }
  })

  it('probes the apps on /health/live and /health/ready, and drains within the grace period', () => {
    for (const app of manifests.filter((m) => m.kind === 'Deployment')) {
      const pod = podSpecOf(app)
      const [server] = pod.containers
      expect(server.livenessProbe.httpGet.path).toBe('/health/live')
      expect(server.readinessProbe.httpGet.path).toBe('/health/ready')
      const config = manifests.find(
        (m) =>
          m.kind === 'ConfigMap' && server.envFrom.some((e: any) => e.configMapRef?.name === m.metadata.name),
      )
      const drainSeconds = Number(config?.data.SHUTDOWN_TIMEOUT_MS) / 1000
      const preStopSeconds = server.lifecycle.preStop.sleep.seconds
      expect(preStopSeconds + drainSeconds).toBeLessThan(pod.terminationGracePeriodSeconds)
    }
  })

  it('runs each intelligence service in a Deployment of its own, as the compose stack does', () => {
    const compose = parse(
      readFileSync(join(import.meta.dirname, '../compose/soba-dex.production.yml'), 'utf8'),
    )
    const composeSplit = Object.values(compose.services as Record<string, any>)
      .map((service) => service.environment?.DEX_SERVICES)
      .filter((services) => services && services !== NO_INTEL_SERVICES)
      .sort()
    const intel = manifests.filter((m) => m.kind === 'Deployment' && m.metadata.name.startsWith('dex-intel-'))
    const split = intel.map((deployment) => {
      const [server] = podSpecOf(deployment).containers
      const services = server.env.find((e: any) => e.name === 'DEX_SERVICES').value
      expect(deployment.metadata.name).toBe(`dex-intel-${services}`)
      expect(deployment.spec.selector.matchLabels['app.kubernetes.io/name']).toBe(deployment.metadata.name)
      expect(server.image).toMatch(/\/dex-server:/)
      // The gateway writes the index (one replica, by lease); these follow it in the database.
      expect(server.env.find((e: any) => e.name === 'DEX_INDEXER')?.value, deployment.metadata.name).toBe(
        'false',
      )
      return services
    })
    expect(split.sort()).toEqual([...INTEL_SERVICE_NAMES].sort())
    expect(split).toEqual(composeSplit)
  })

  it('routes the gateway to each intelligence service through its Service, and lets only it in', () => {
    const labelsMatch = (selector: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(selector).every(([key, value]) => labels[key] === value)
    const gateway = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'dex-gateway')
    const env = podSpecOf(gateway as Manifest).containers[0].env as Array<{ name: string; value: string }>
    expect(env.find((e) => e.name === 'DEX_SERVICES')?.value).toBe(NO_INTEL_SERVICES)
    expect(env.find((e) => e.name === 'DEX_INDEXER')?.value).toBe('true')
    const { upstreams, issues } = parseIntelUpstreams(
      (env.find((e) => e.name === 'DEX_INTEL_UPSTREAMS')?.value ?? '').split(','),
      [],
    )
    expect(issues).toEqual([])
    expect(upstreams.map((u) => u.service).sort()).toEqual([...INTEL_SERVICE_NAMES].sort())
    const policies = manifests.filter((m) => m.kind === 'NetworkPolicy')
    const gatewayLabels = (gateway as Manifest).spec.template.metadata.labels
    for (const { service, origin } of upstreams) {
      const url = new URL(origin)
      const deployment = manifests.find(
        (m) => m.kind === 'Deployment' && m.metadata.name === `dex-intel-${service}`,
      ) as Manifest
      const podLabels = deployment.spec.template.metadata.labels
      // The upstream host is a Service in the namespace selecting that Deployment's pods on the port.
      const target = manifests.find((m) => m.kind === 'Service' && m.metadata.name === url.hostname)
      expect(target, origin).toBeDefined()
      expect(labelsMatch(target?.spec.selector, podLabels), origin).toBe(true)
      const port = target?.spec.ports.find((p: any) => p.port === Number(url.port))
      expect(port?.targetPort, origin).toBe('http')
      const containerPort = podSpecOf(deployment).containers[0].ports.find((p: any) => p.name === 'http')
      // Egress from the gateway and ingress to the service both admit that port.
      const admits = (
        direction: 'egress' | 'ingress',
        self: Record<string, string>,
        peer: Record<string, string>,
      ) =>
        policies.some(
          (policy) =>
            labelsMatch(policy.spec.podSelector.matchLabels ?? {}, self) &&
            (policy.spec[direction] ?? []).some(
              (rule: any) =>
                (rule.to ?? rule.from ?? []).some(
                  (p: any) => p.podSelector && labelsMatch(p.podSelector.matchLabels ?? {}, peer),
                ) && rule.ports.some((p: any) => p.port === containerPort.containerPort),
            ),
        )
      expect(admits('egress', gatewayLabels, podLabels), `gateway -> ${service}`).toBe(true)
      expect(admits('ingress', podLabels, gatewayLabels), `${service} <- gateway`).toBe(true)
      // Another app (the ChatSDK API) is not let in.
      const chatLabels = manifests.find((m) => m.metadata.name === 'chat-api' && m.kind === 'Deployment')
        ?.spec.template.metadata.labels
      expect(admits('ingress', podLabels, chatLabels), `${service} <- chat-api`).toBe(false)
    }
  })

  it('gives the namespace quota room for every HPA at its maximum plus the fixed workloads', () => {
    const cpu = (value: string) => (value.endsWith('m') ? Number(value.slice(0, -1)) / 1000 : Number(value))
    const maxReplicas = Object.fromEntries(
      manifests
        .filter((m) => m.kind === 'HorizontalPodAutoscaler')
        .map((m) => [m.spec.scaleTargetRef.name, m.spec.maxReplicas]),
    )
    let limitsCpu = 0
    for (const workload of manifests.filter((m) => podSpecOf(m))) {
      const replicas = maxReplicas[workload.metadata.name] ?? workload.spec.replicas
      for (const container of podSpecOf(workload).containers)
        limitsCpu += replicas * cpu(container.resources.limits.cpu)
    }
    const quota = manifests.find((m) => m.kind === 'ResourceQuota')
    expect(limitsCpu).toBeLessThanOrEqual(cpu(quota?.spec.hard['limits.cpu']))
  })

  it('scales the ChatSDK API 3-10 and the DEX gateway 3-15 at 70% CPU and 80% memory', () => {
    const hpas = Object.fromEntries(
      manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler').map((m) => [m.metadata.name, m.spec]),
    )
    expect(hpas['chat-api'].maxReplicas).toBe(10)
    expect(hpas['dex-gateway'].maxReplicas).toBe(15)
    for (const spec of Object.values(hpas) as any[]) {
      const targets = Object.fromEntries(
        spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization]),
      )
      expect(targets).toEqual({ cpu: 70, memory: 80 })
    }
    if (overlay === 'production')
      expect([hpas['chat-api'].minReplicas, hpas['dex-gateway'].minReplicas]).toEqual([3, 3])
  })

  it('denies all traffic by default and holds no real secrets', () => {
    const deny = manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'default-deny')
    expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] })
    for (const secret of manifests.filter((m) => m.kind === 'Secret')) {
      for (const [key, value] of Object.entries(secret.data ?? secret.stringData ?? {})) {
        const text = secret.data ? Buffer.from(String(value), 'base64').toString() : String(value)
        expect(text, `${secret.metadata.name}.${key}`).toMatch(/REPLACE_WITH|^0x0{40}$|^postgres$/)
      }
    }
  })
})
