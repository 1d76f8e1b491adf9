import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, extname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sendProblem } from '@platform/service-kit/http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/**
 * Serves the demo web app (packages/chat-web, built by `npm install`) at `/`; the API stays under
 * `/v1`. Files are read once at start-up into memory (the app is a few hundred KB), together with
 * the `.br` and `.gz` twins the build wrote beside them, so a request is a lookup and one write.
 *
 * - Hashed files (Vite's `assets/name-<hash>.ext`) never change under their name: cached for a
 *   year, `immutable`. Everything else (index.html) is revalidated (`no-cache` + ETag).
 * - The app keeps its state in the query string (`/?user=alice`), so `/` is its only document.
 * - The app's documents get a CSP that lets it load its own scripts and styles, talk to the API
 *   and the gateway on this origin, and show uploaded images (same origin, or an S3 bucket).
 */
export interface WebAppOptions {
  /** The built app; default packages/chat-web/dist beside this package. */
  root?: string
}

export const DEFAULT_WEB_ROOT = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'chat-web',
  'dist',
)

const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
}

const HASHED_NAME = /^assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/
const IMMUTABLE = 'public, max-age=31536000, immutable'
const REVALIDATE = 'no-cache'

interface Variant {
  body: Buffer
  encoding: 'br' | 'gzip' | null
}

interface StaticFile {
  contentType: string
  cacheControl: string
  etag: string
  /** Best first: brotli, gzip, then the plain bytes. */
  variants: Variant[]
}

export async function webAppRoutes(app: FastifyInstance, options: WebAppOptions = {}): Promise<void> {
  const root = options.root ?? DEFAULT_WEB_ROOT
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn({ root }, 'web app not built: run `npm run build -w @chatsdk/web` to serve it at /')
    app.get('/', { schema: { hide: true } }, (request, reply) =>
      sendProblem(
        request,
        reply,
        404,
        'web_app_not_built',
        'The demo web app is not built: run `npm run build -w @chatsdk/web` and restart.',
      ),
    )
    return
  }
  // One exact route per file rather than a wildcard: a wildcard would make every unknown path
  // "exist", and the kit would answer 405 instead of 404 for a wrong method on it.
  for (const [name, file] of await indexFiles(root)) {
    const handler = (request: FastifyRequest, reply: FastifyReply) => sendFile(request, reply, file)
    app.get(`/${name}`, { schema: { hide: true } }, handler)
    if (name === 'index.html') app.get('/', { schema: { hide: true } }, handler)
  }
}

function sendFile(request: FastifyRequest, reply: FastifyReply, file: StaticFile) {
  reply
    .header('content-type', file.contentType)
    .header('cache-control', file.cacheControl)
    .header('etag', file.etag)
    .header('vary', 'accept-encoding')
  if (file.contentType.startsWith('text/html')) {
    reply.header('content-security-policy', APP_CSP)
  }
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send()
  const variant = pickVariant(file.variants, String(request.headers['accept-encoding'] ?? ''))
  if (variant.encoding) reply.header('content-encoding', variant.encoding)
  return reply.send(variant.body)
}

/** The first variant the client accepts (`q=0` refuses an encoding); the plain bytes always are. */
export function pickVariant(variants: Variant[], acceptEncoding: string): Variant {
  const accepted = new Set<string>()
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';')
    const refused = params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))
    if (name && !refused) accepted.add(name.trim())
  }
  return (
    variants.find((v) => v.encoding === null || accepted.has(v.encoding) || accepted.has('*')) ??
    variants[variants.length - 1]!
  )
}

async function indexFiles(root: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>()
  const names = (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    // a name Fastify would read as a parameter or wildcard is not one Vite writes
    .filter((name) => !/[:*?#]/.test(name))
  const present = new Set(names)
  for (const name of names) {
    if (name.endsWith('.br') || name.endsWith('.gz')) continue
    const body = await readFile(join(root, name))
    const variants: Variant[] = []
    if (present.has(`${name}.br`))
      variants.push({ body: await readFile(join(root, `${name}.br`)), encoding: 'br' })
    if (present.has(`${name}.gz`)) {
      variants.push({ body: await readFile(join(root, `${name}.gz`)), encoding: 'gzip' })
    }
    variants.push({ body, encoding: null })
    files.set(name, {
      contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
      cacheControl: HASHED_NAME.test(name) ? IMMUTABLE : REVALIDATE,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      variants,
    })
  }
  return files
}
