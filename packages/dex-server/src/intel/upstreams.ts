import type { ConfigIssue } from '@platform/service-kit/config'
import { INTEL_SERVICE_NAMES, type IntelServiceName } from './service.js'

/** `DEX_SERVICES=none`: this process runs no intelligence service itself (an API gateway). */
export const NO_INTEL_SERVICES = 'none'

/** An intelligence service another process runs, reached at `origin` (scheme, host and port). */
export interface IntelUpstream {
  service: IntelServiceName
  origin: string
}

const isServiceName = (name: string): name is IntelServiceName =>
  (INTEL_SERVICE_NAMES as readonly string[]).includes(name)

/**
 * `DEX_SERVICES` as read from the environment (service names, or `none` alone) to the services
 * this process runs; `none` beside a service name is an issue, since it cannot mean both.
 */
export function localIntelServices(names: readonly string[]): {
  services: IntelServiceName[]
  issues: ConfigIssue[]
} {
  if (!names.includes(NO_INTEL_SERVICES)) return { services: names.filter(isServiceName), issues: [] }
  if (names.length === 1) return { services: [], issues: [] }
  return {
    services: [],
    issues: [{ variable: 'DEX_SERVICES', message: `"${NO_INTEL_SERVICES}" cannot be listed with services` }],
  }
}

/**
 * `DEX_INTEL_UPSTREAMS` entries (`<service>=<http(s) origin>`) to upstreams. Rejected: a name that
 * is not a service, a service named twice, a URL that is not http(s) or carries a path, query,
 * fragment or credentials (requests keep their own `/v1/intel/...` path), and a service this process
 * also runs (`local`), since a route cannot be answered both here and there.
 */
export function parseIntelUpstreams(
  entries: readonly string[],
  local: readonly IntelServiceName[],
): { upstreams: IntelUpstream[]; issues: ConfigIssue[] } {
  const variable = 'DEX_INTEL_UPSTREAMS'
  const upstreams: IntelUpstream[] = []
  const issues: ConfigIssue[] = []
  for (const entry of entries) {
    const at = entry.indexOf('=')
    const name = at < 0 ? '' : entry.slice(0, at).trim()
    const raw = at < 0 ? '' : entry.slice(at + 1).trim()
    if (at < 0 || name === '' || raw === '') {
      issues.push({ variable, message: `"${entry}" is not <service>=<url>` })
      continue
    }
    if (!isServiceName(name)) {
      issues.push({
        variable,
        message: `"${name}" is not an intelligence service (${INTEL_SERVICE_NAMES.join(', ')})`,
      })
      continue
    }
    if (upstreams.some((u) => u.service === name)) {
      issues.push({ variable, message: `${name} is named twice` })
      continue
    }
    if (local.includes(name)) {
      issues.push({
        variable,
        message: `${name} runs in this process (DEX_SERVICES) and cannot also be remote; set DEX_SERVICES without it (or none)`,
      })
      continue
    }
    const problem = originProblem(raw)
    if (problem) {
      issues.push({ variable, message: `${name}: "${raw}" ${problem}` })
      continue
    }
    upstreams.push({ service: name, origin: new URL(raw).origin })
  }
  return { upstreams, issues }
}

function originProblem(raw: string): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'is not a URL'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'is not an http(s) URL'
  if (url.username || url.password) return 'must not carry credentials'
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return 'must be an origin only (scheme://host:port): requests keep their /v1/intel/... path'
  }
  return undefined
}
