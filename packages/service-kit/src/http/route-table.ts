/**
 * The routes an app declared, kept to tell "no such path" (404) from "path exists, other method"
 * (405): Fastify answers both through its not-found handler.
 */
export class RouteTable {
  private readonly routes: { pattern: RegExp; methods: Set<string> }[] = []
  private readonly byUrl = new Map<string, { pattern: RegExp; methods: Set<string> }>()

  add(url: string, methods: string | string[]): void {
    let entry = this.byUrl.get(url)
    if (!entry) {
      entry = { pattern: templateToRegExp(url), methods: new Set() }
      this.byUrl.set(url, entry)
      this.routes.push(entry)
    }
    for (const method of Array.isArray(methods) ? methods : [methods]) entry.methods.add(method.toUpperCase())
  }

  /**
   * Methods allowed on a concrete path, empty when no route matches it. OPTIONS alone does not
   * make a path known: the CORS plugin answers OPTIONS on every path.
   */
  allowedMethods(path: string): string[] {
    const allowed = new Set<string>()
    for (const route of this.routes)
      if (route.pattern.test(path)) for (const method of route.methods) allowed.add(method)
    if ([...allowed].every((method) => method === 'OPTIONS')) return []
    return [...allowed].sort()
  }
}

function templateToRegExp(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*'
      if (segment.startsWith(':')) return '[^/]+'
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('/')
  return new RegExp(`^${source}/?$`)
}
