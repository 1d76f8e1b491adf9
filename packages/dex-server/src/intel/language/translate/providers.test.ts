import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCache } from '@platform/service-kit/cache'
import { type App, createApp } from '@platform/service-kit/http'
import { createLogger } from '@platform/service-kit/logging'
import { afterEach, describe, expect, it } from 'vitest'
import type { DexDeps } from '../../../app.js'
import { loadDexConfig } from '../../../config.js'
import { mountIntelServices } from '../../mount.js'
import { languageService } from '../service.js'

type Handler = (body: any, request: IncomingMessage, response: ServerResponse) => void

/** A local HTTP server standing in for the provider; each request takes the next scripted answer. */
async function fakeProvider(script: Handler[]) {
  const seen: Array<{ url: string; headers: IncomingMessage['headers']; body: any }> = []
  const server: Server = createServer((request, response) => {
    let raw = ''
    request.on('data', (chunk) => {
      raw += chunk
    })
    request.on('end', () => {
      const body = raw ? JSON.parse(raw) : null
      seen.push({ url: request.url ?? '', headers: request.headers, body })
      const handler = script[Math.min(seen.length - 1, script.length - 1)] as Handler
      handler(body, request, response)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => {
  return (_body, _request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers })
    response.end(JSON.stringify(body))
  }
}
const libre = (text: string) =>
  json(200, { translatedText: text, detectedLanguage: { language: 'en', confidence: 90 } })
const hang: Handler = () => {}

let cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const step of cleanup.reverse()) await step()
  cleanup = []
})

async function appWith(env: Record<string, string>) {
  const deps = {
    // Generous timeout: a loaded machine must not turn a scripted success into a timeout.
    config: loadDexConfig({ TRANSLATE_TIMEOUT_MS: '3000', TRANSLATE_RETRIES: '1', ...env }),
    logger: createLogger({ service: 'translate-test', level: 'silent' }),
    cache: createCache({}),
  } as DexDeps
  const app = await createApp({ service: 'translate-test', logger: deps.logger, openapi: { title: 'test' } })
  await app.register(async (scope) => mountIntelServices([languageService])(scope as unknown as App, deps))
  cleanup.push(async () => {
    await app.close()
  })
  return app
}

async function libreApp(script: Handler[], env: Record<string, string> = {}) {
  const provider = await fakeProvider(script)
  cleanup.push(provider.close)
  const app = await appWith({
    TRANSLATE_PROVIDER: 'libretranslate',
    LIBRETRANSLATE_URL: provider.url,
    ...env,
  })
  return { app, provider }
}

const translate = (app: App, text: string, target = 'es') =>
  app.inject({ method: 'POST', url: '/v1/intel/translate', payload: { text, target, source: 'en' } })

describe('translation providers over HTTP', () => {
  it('LibreTranslate: translates free text, then serves the repeat from the cache', async () => {
    const { app, provider } = await libreApp([libre('Mi intercambio falló dos veces hoy')])
    const first = await translate(app, 'My swap failed twice today')
    expect(first.json()).toEqual({
      text: 'Mi intercambio falló dos veces hoy',
      source: 'en',
      target: 'es',
      provider: 'libretranslate',
      cached: false,
    })
    expect(provider.seen[0]).toMatchObject({
      url: '/translate',
      body: { q: 'My swap failed twice today', source: 'en', target: 'es', format: 'text' },
    })
    const again = await translate(app, 'My swap failed twice today')
    expect(again.json()).toMatchObject({ text: 'Mi intercambio falló dos veces hoy', cached: true })
    expect(provider.seen).toHaveLength(1)
  })

  it('retries a 5xx and succeeds on the next attempt', async () => {
    const { app, provider } = await libreApp([json(503, { error: 'busy' }), libre('Hola a todos')])
    const response = await translate(app, 'Hello everyone')
    expect(response.statusCode).toBe(200)
    expect(response.json().text).toBe('Hola a todos')
    expect(provider.seen).toHaveLength(2)
  })

  it('timeout: retried, then 504 translation_provider_failed, no text', async () => {
    const { app, provider } = await libreApp([hang], { TRANSLATE_TIMEOUT_MS: '300' })
    const response = await translate(app, 'Hello everyone')
    expect(response.statusCode).toBe(504)
    expect(response.headers['content-type']).toContain('application/problem+json')
    expect(response.json()).toMatchObject({
      code: 'translation_provider_failed',
      reason: 'timeout',
      provider: 'libretranslate',
    })
    expect(response.json().text).toBeUndefined()
    expect(provider.seen).toHaveLength(2)
  })

  it('429: honours Retry-After, then 503 with a retry hint', async () => {
    const { app, provider } = await libreApp([json(429, { error: 'slow down' }, { 'retry-after': '0' })])
    const response = await translate(app, 'Hello everyone')
    expect(response.statusCode).toBe(503)
    expect(response.json()).toMatchObject({ code: 'translation_provider_failed', reason: 'rate_limited' })
    expect(response.headers['retry-after']).toBeDefined()
    expect(provider.seen).toHaveLength(2)
  })

  it('persistent 5xx: 502; a 4xx is not retried', async () => {
    const failing = await libreApp([json(500, { error: 'boom' })])
    const response = await translate(failing.app, 'Hello everyone')
    expect(response.statusCode).toBe(502)
    expect(response.json()).toMatchObject({ code: 'translation_provider_failed', reason: 'server_error' })
    expect(failing.provider.seen).toHaveLength(2)

    const rejecting = await libreApp([json(400, { error: 'bad language' })])
    const rejected = await translate(rejecting.app, 'Hello everyone')
    expect(rejected.statusCode).toBe(502)
    expect(rejected.json().reason).toBe('rejected')
    expect(rejecting.provider.seen).toHaveLength(1)
  })

  it('a provider that hands the text back, answers empty or garbage is no translation', async () => {
    const echo = await libreApp([libre('Hello everyone')])
    const unchanged = await translate(echo.app, 'Hello everyone')
    expect(unchanged.statusCode).toBe(422)
    expect(unchanged.json()).toMatchObject({ code: 'translation_unavailable', reason: 'unchanged' })

    const empty = await libreApp([libre('   ')])
    expect((await translate(empty.app, 'Hello everyone')).json().reason).toBe('empty')

    const garbage = await libreApp([json(200, { nope: true })])
    const bad = await translate(garbage.app, 'Hello everyone')
    expect(bad.statusCode).toBe(502)
    expect(bad.json().reason).toBe('bad_response')
  })

  it('DeepL: sends the key in the Authorization header and regional target codes', async () => {
    const provider = await fakeProvider([
      json(200, { translations: [{ detected_source_language: 'EN', text: '大家早上好' }] }),
    ])
    cleanup.push(provider.close)
    const app = await appWith({
      TRANSLATE_PROVIDER: 'deepl',
      DEEPL_API_URL: provider.url,
      DEEPL_API_KEY: 'k-123',
    })
    const response = await app.inject({
      method: 'POST',
      url: '/v1/intel/translate',
      payload: { text: 'Good morning everyone', target: 'zh' },
    })
    expect(response.json()).toMatchObject({ text: '大家早上好', provider: 'deepl', target: 'zh' })
    expect(provider.seen[0]?.url).toBe('/v2/translate')
    expect(provider.seen[0]?.headers.authorization).toBe('DeepL-Auth-Key k-123')
    expect(provider.seen[0]?.body).toMatchObject({ text: ['Good morning everyone'], target_lang: 'ZH-HANS' })
  })

  it('catalog messages never reach the provider', async () => {
    const { app, provider } = await libreApp([libre('should not be used')])
    const response = await translate(app, 'Connect wallet', 'ja')
    expect(response.json()).toMatchObject({ text: 'ウォレットを接続', provider: 'catalog' })
    expect(provider.seen).toHaveLength(0)
  })
})
