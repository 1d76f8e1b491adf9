import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { problems } from '@platform/service-kit/http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { DexPlugin } from '../app.js'

/** Where `npm run build -w @soba/dex-web` writes the app (WEB_DIST_DIR overrides it). */
export const defaultWebDist = fileURLToPath(new URL('../../../dex-web/dist', import.meta.url))

/** The web app's client-side routes: each answers with index.html. */
export const WEB_APP_PATHS = [
  '/',
  '/swap',
  '/pools',
  '/pools/:address',
  '/portfolio',
  '/account',
  '/tx/:hash',
]

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/** Vite puts content-hashed files under assets/: their bytes never change under one name. */
const IMMUTABLE = 'public, max-age=31536000, immutable'
const REVALIDATE = 'no-cache'

interface StaticFile {
  type: string
  body: Buffer
  br?: Buffer
  gzip?: Buffer
  etag: string
  cacheControl: string
}

/** Reads a built app into memory: a few hundred KB, served without a disk read per request. */
export function loadWebDist(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>()
  if (!existsSync(join(dir, 'index.html'))) return files
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (!name.endsWith('.br') && !name.endsWith('.gz')) {
        const url = `/${relative(dir, path).split(sep).join('/')}`
        const body = readFileSync(path)
        const sibling = (suffix: string) =>
          existsSync(path + suffix) ? readFileSync(path + suffix) : undefined
        const br = sibling('.br')
        const gzip = sibling('.gz')
        files.set(url, {
          type: TYPES[extname(name)] ?? 'application/octet-stream',
          body,
          ...(br ? { br } : {}),
          ...(gzip ? { gzip } : {}),
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
          cacheControl: url.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
        })
      }
    }
  }
  walk(dir)
  return files
}

/** The best precompressed form the client accepts: brotli, then gzip, then the plain bytes. */
export function pickEncoding(
  file: StaticFile,
  acceptEncoding: string | undefined,
): ['br' | 'gzip' | null, Buffer] {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => q === undefined || !/^q=0(\.0*)?$/.test(q.trim()))
      .map(([name]) => name!.toLowerCase()),
  )
  if (file.br && accepted.has('br')) return ['br', file.br]
  if (file.gzip && accepted.has('gzip')) return ['gzip', file.gzip]
  return [null, file.body]
}

/**
 * The page's Content-Security-Policy: scripts and styles from this origin only (inline style
 * attributes are needed by the chart library), and connections to this origin, the chain's RPC
 * (the Dev wallet and wagmi read it) and, when configured, WalletConnect's relay.
 */
export function webContentSecurityPolicy(rpcUrl: string, walletConnect: boolean): string {
  const connect = ["'self'"]
  try {
    connect.push(new URL(rpcUrl).origin)
  } catch {
    // A relative or malformed RPC URL adds nothing beyond 'self'.
  }
  if (walletConnect)
    connect.push(
      'https://*.walletconnect.com',
      'wss://*.walletconnect.com',
      'https://*.walletconnect.org',
      'wss://*.walletconnect.org',
    )
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ')
}

/**
 * Serves the built DEX web app at `/`: hashed assets with immutable caching, brotli or gzip
 * chosen from Accept-Encoding (precompressed at build time, never compressed per request), and
 * index.html for each client-side route. Without a build, `/` answers 503 saying how to build it.
 */
export const webRoutes: DexPlugin = async (app, { config, chain }) => {
  const dir = config.WEB_DIST_DIR ?? defaultWebDist
  let files = loadWebDist(dir)
  const csp = webContentSecurityPolicy(chain.rpcUrl, Boolean(config.WALLETCONNECT_PROJECT_ID))

  const send = (request: FastifyRequest, reply: FastifyReply, file: StaticFile) => {
    reply.header('content-type', file.type)
    reply.header('cache-control', file.cacheControl)
    reply.header('vary', 'accept-encoding')
    reply.header('etag', file.etag)
    if (file.type.startsWith('text/html')) {
      reply.header('content-security-policy', csp)
      reply.header('x-frame-options', 'DENY')
    }
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send()
    const [encoding, body] = pickEncoding(file, request.headers['accept-encoding'])
    if (encoding) reply.header('content-encoding', encoding)
    return reply.send(body)
  }

  const index = () => {
    // Built after the server started (npm run build while it runs): pick it up.
    if (!files.has('/index.html')) files = loadWebDist(dir)
    const file = files.get('/index.html')
    if (!file) {
      throw problems.unavailable(
        'The web app is not built: run `npm run build -w @soba/dex-web` (npm start does it when needed).',
        'web_not_built',
      )
    }
    return file
  }

  const hidden = { schema: { hide: true } }
  for (const path of WEB_APP_PATHS) {
    app.get(path, hidden, async (request, reply) => send(request, reply, index()))
  }
  app.get('/assets/*', hidden, async (request, reply) => {
    const file = files.get(request.url.split('?')[0]!)
    if (!file) throw problems.notFound(`No asset ${request.url}.`, 'asset_not_found')
    return send(request, reply, file)
  })
  // Root files next to index.html (icons, manifest), as they were at startup.
  for (const [url, file] of files) {
    if (url.startsWith('/assets/') || url === '/index.html') continue
    app.get(url, hidden, async (request, reply) => send(request, reply, file))
  }
}
