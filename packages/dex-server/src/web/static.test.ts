import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { createApp } from '@platform/service-kit/http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DexDeps } from '../app.js'
import { webRoutes } from './static.js'

const APP_JS = `console.log(${JSON.stringify('soba '.repeat(400))})`

async function appServing(dist: string) {
  const app = await createApp({ service: 'dex-web-static-test', openapi: { title: 'test' } })
  const deps = {
    config: { WEB_DIST_DIR: dist, WALLETCONNECT_PROJECT_ID: undefined },
    chain: { rpcUrl: 'http://127.0.0.1:8545' },
  } as unknown as DexDeps
  await app.register(async (scope) => webRoutes(scope as any, deps))
  await app.ready()
  return app
}

describe('the web app served at /', () => {
  const dist = mkdtempSync(join(tmpdir(), 'dex-web-dist-'))
  const empty = mkdtempSync(join(tmpdir(), 'dex-web-empty-'))
  let app: Awaited<ReturnType<typeof appServing>>

  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'))
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><title>Soba</title><script src="/assets/app-1a2b.js"></script>',
    )
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    writeFileSync(join(dist, 'assets/app-1a2b.js'), APP_JS)
    writeFileSync(join(dist, 'assets/app-1a2b.js.br'), brotliCompressSync(APP_JS))
    writeFileSync(join(dist, 'assets/app-1a2b.js.gz'), gzipSync(APP_JS))
    app = await appServing(dist)
  })
  afterAll(async () => {
    await app?.close()
    rmSync(dist, { recursive: true, force: true })
    rmSync(empty, { recursive: true, force: true })
  })

  it('answers every client-side route with index.html, revalidated, under a page CSP that allows the RPC', async () => {
    for (const url of [
      '/',
      '/swap',
      '/pools',
      `/pools/0x${'a'.repeat(40)}`,
      '/portfolio',
      '/account',
      `/tx/0x${'b'.repeat(64)}`,
    ]) {
      const response = await app.inject({ method: 'GET', url })
      expect(response.statusCode, url).toBe(200)
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(response.body).toContain('<title>Soba</title>')
      expect(response.headers['cache-control']).toBe('no-cache')
    }
    const csp = String((await app.inject({ method: 'GET', url: '/' })).headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:8545")
    expect(csp).toContain("frame-ancestors 'none'")
  })

  it('sends hashed assets precompressed, brotli first, with immutable caching', async () => {
    const br = await app.inject({
      method: 'GET',
      url: '/assets/app-1a2b.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    })
    expect(br.statusCode).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(br.headers.vary).toBe('accept-encoding')
    expect(br.rawPayload.length).toBeLessThan(APP_JS.length / 10)
    const gzip = await app.inject({
      method: 'GET',
      url: '/assets/app-1a2b.js',
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(gzip.headers['content-encoding']).toBe('gzip')
    const refusedBr = await app.inject({
      method: 'GET',
      url: '/assets/app-1a2b.js',
      headers: { 'accept-encoding': 'br;q=0, gzip' },
    })
    expect(refusedBr.headers['content-encoding']).toBe('gzip')
    const plain = await app.inject({
      method: 'GET',
      url: '/assets/app-1a2b.js',
      headers: { 'accept-encoding': 'identity' },
    })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toBe(APP_JS)
  })

  it('answers a matching ETag with 304, and serves root files', async () => {
    const first = await app.inject({ method: 'GET', url: '/assets/app-1a2b.js' })
    const again = await app.inject({
      method: 'GET',
      url: '/assets/app-1a2b.js',
      headers: { 'if-none-match': String(first.headers.etag) },
    })
    expect(again.statusCode).toBe(304)
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' })
    expect(icon.headers['content-type']).toBe('image/svg+xml')
  })

  it('answers a missing asset and an unknown API path with problem+json, not the page', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/gone-0000.js' })
    expect(asset.statusCode).toBe(404)
    expect(asset.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(asset.json().code).toBe('asset_not_found')
    const api = await app.inject({ method: 'GET', url: '/v1/nothing-here' })
    expect(api.statusCode).toBe(404)
    expect(api.json().code).toBe('route_not_found')
  })

  it('says how to build the app when there is no build', async () => {
    const bare = await appServing(empty)
    try {
      const response = await bare.inject({ method: 'GET', url: '/swap' })
      expect(response.statusCode).toBe(503)
      expect(response.json()).toMatchObject({ code: 'web_not_built' })
      expect(response.json().detail).toContain('npm run build -w @soba/dex-web')
    } finally {
      await bare.close()
    }
  })
})
