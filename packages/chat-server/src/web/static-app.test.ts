import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { type App, createApp } from '@platform/service-kit/http'
import { createLogger } from '@platform/service-kit/logging'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pickVariant, webAppRoutes } from './static-app.js'

const INDEX =
  '<!doctype html><title>ChatSDK</title><script type="module" src="/assets/app-Ab12Cd34.js"></script>'
const SCRIPT = 'console.log("hello from the app");'.repeat(50)

async function appServing(root: string): Promise<App> {
  const app = await createApp({
    service: 'web-test',
    logger: createLogger({ service: 'web-test', level: 'silent' }),
    openapi: { title: 't' },
  })
  app.get('/v1/ping', async () => ({ pong: true }))
  await app.register(webAppRoutes, { root })
  await app.ready()
  return app
}

describe('the built web app served at /', () => {
  let root: string
  let app: App
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'chat-web-dist-'))
    await mkdir(join(root, 'assets'))
    await writeFile(join(root, 'index.html'), INDEX)
    await writeFile(join(root, 'index.html.gz'), gzipSync(INDEX))
    await writeFile(join(root, 'assets', 'app-Ab12Cd34.js'), SCRIPT)
    await writeFile(join(root, 'assets', 'app-Ab12Cd34.js.br'), brotliCompressSync(SCRIPT))
    await writeFile(join(root, 'assets', 'app-Ab12Cd34.js.gz'), gzipSync(SCRIPT))
    await writeFile(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    app = await appServing(root)
  })
  afterAll(async () => {
    await app.close()
    await rm(root, { recursive: true, force: true })
  })

  it('answers a hashed asset in brotli when the browser accepts it, cached as immutable', async () => {
    const res = await app.inject({
      url: '/assets/app-Ab12Cd34.js',
      headers: { 'accept-encoding': 'gzip, br' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(res.headers.vary).toBe('accept-encoding')
    expect(res.rawPayload.equals(brotliCompressSync(SCRIPT))).toBe(true)
  })

  it('falls back to gzip, then to the plain file, as the browser accepts less', async () => {
    const gz = await app.inject({ url: '/assets/app-Ab12Cd34.js', headers: { 'accept-encoding': 'gzip' } })
    expect(gz.headers['content-encoding']).toBe('gzip')
    const plain = await app.inject({
      url: '/assets/app-Ab12Cd34.js',
      headers: { 'accept-encoding': 'identity' },
    })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toBe(SCRIPT)
  })

  it('serves index.html at / to be revalidated, with a CSP that lets the app load its own files', async () => {
    const res = await app.inject({ url: '/?user=alice', headers: { 'accept-encoding': 'br, gzip' } })
    expect(res.statusCode).toBe(200)
    // no .br twin was built for it: gzip is the best the server has
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.headers['cache-control']).toBe('no-cache')
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['content-security-policy']).toContain("script-src 'self'")
    expect(res.headers['content-security-policy']).toContain("connect-src 'self'")
  })

  it('answers 304 when the browser already has the file', async () => {
    const first = await app.inject({ url: '/favicon.svg' })
    expect(first.headers['cache-control']).toBe('no-cache')
    const again = await app.inject({
      url: '/favicon.svg',
      headers: { 'if-none-match': first.headers.etag as string },
    })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
  })

  it('answers index.html by name too, and HEAD with the headers alone', async () => {
    expect((await app.inject({ url: '/index.html' })).body).toBe(INDEX)
    const head = await app.inject({ method: 'HEAD', url: '/assets/app-Ab12Cd34.js' })
    expect(head.statusCode).toBe(200)
    expect(head.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(head.body).toBe('')
  })

  it('leaves every other path alone: unknown paths stay 404, not 405, for any method', async () => {
    for (const [method, url] of [
      ['GET', '/v1/nothing-here'],
      ['POST', '/v1/nothing-here'],
      ['GET', '/channels/general'],
      ['DELETE', '/somewhere'],
    ] as const) {
      const res = await app.inject({ method, url })
      expect(res.statusCode, `${method} ${url}`).toBe(404)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
    expect((await app.inject({ url: '/v1/ping' })).json()).toEqual({ pong: true })
  })

  it('answers a missing asset and a path that climbs out of the folder with problem+json 404', async () => {
    for (const url of [
      '/assets/missing-12345678.js',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/../../package.json',
    ]) {
      const res = await app.inject({ url })
      expect(res.statusCode, url).toBe(404)
      expect(res.headers['content-type'], url).toContain('application/problem+json')
    }
  })
})

describe('a server whose web app was never built', () => {
  it('says how to build it at /, and nothing else changes', async () => {
    const root = await mkdtemp(join(tmpdir(), 'chat-web-empty-'))
    const app = await appServing(root)
    try {
      const res = await app.inject({ url: '/' })
      expect(res.statusCode).toBe(404)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(res.json().code).toBe('web_app_not_built')
      expect((await app.inject({ url: '/index.html' })).json().code).toBe('route_not_found')
    } finally {
      await app.close()
      await rm(root, { recursive: true, force: true })
    }
  })
})

describe('choosing the encoding', () => {
  const variants = [
    { body: Buffer.from('b'), encoding: 'br' as const },
    { body: Buffer.from('g'), encoding: 'gzip' as const },
    { body: Buffer.from('p'), encoding: null },
  ]
  it.each([
    ['br;q=1, gzip;q=0.5', 'br'],
    ['gzip, br;q=0', 'gzip'],
    ['*', 'br'],
    ['', null],
    ['deflate', null],
  ])('Accept-Encoding %j gives %s', (header, expected) => {
    expect(pickVariant(variants, header).encoding).toBe(expected)
  })
})
