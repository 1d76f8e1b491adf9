import { createCache } from '@platform/service-kit/cache'
import { type App, createApp, problems } from '@platform/service-kit/http'
import { createLogger } from '@platform/service-kit/logging'
import { afterEach, describe, expect, it } from 'vitest'
import type { DexDeps } from '../../app.js'
import { loadDexConfig } from '../../config.js'
import { mountIntelServices } from '../mount.js'
import { localizeProblems } from './localize-problems.js'
import { languageService } from './service.js'

let app: App | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

async function languageApp(env: Record<string, string> = {}) {
  const deps = {
    config: loadDexConfig(env),
    logger: createLogger({ service: 'language-test', level: 'silent' }),
    cache: createCache({}),
  } as DexDeps
  const built = await createApp({ service: 'language-test', logger: deps.logger, openapi: { title: 'test' } })
  localizeProblems(built)
  built.get('/v1/missing-pool', async () => {
    throw problems.notFound('no indexed pool at 0xabc', 'unknown_pool')
  })
  await built.register(async (scope) => mountIntelServices([languageService])(scope as unknown as App, deps))
  app = built
  return built
}

const post = (target: App, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  target.inject({ method: 'POST', url, payload: payload as object, headers })

describe('language detection route', () => {
  it('names the language in ISO 639-1 and 639-3 with alternatives, for short and long texts', async () => {
    const api = await languageApp()
    const short = (
      await post(api, '/v1/intel/language/detect', { text: '¿Dónde veo mis comisiones?' })
    ).json()
    expect(short.language).toEqual({ code: 'es', iso6393: 'spa', name: 'Spanish' })
    expect(short.confidence).toBeGreaterThan(0)
    expect(short.confidence).toBeLessThanOrEqual(1)
    expect(short.alternatives.length).toBeGreaterThan(0)
    const long = await post(api, '/v1/intel/language/detect', {
      text: 'Wenn sich der Preis zwischen Unterschrift und Aufnahme in einen Block stärker bewegt, wird der Handel rückgängig gemacht.',
    })
    expect(long.json()).toMatchObject({ language: { code: 'de', iso6393: 'deu' }, reliable: true })
  })

  it('answers null, not a guess, for text without letters', async () => {
    const api = await languageApp()
    const body = (await post(api, '/v1/intel/language/detect', { text: '12345 !!! ---' })).json()
    expect(body).toMatchObject({ language: null, reliable: false })
  })

  it('answers bad input with problem+json and the field path', async () => {
    const api = await languageApp()
    const cases: Array<[unknown, string]> = [
      [{}, '/text'],
      [{ text: '' }, '/text'],
      [{ text: '   ' }, '/text'],
      [{ text: null }, '/text'],
      [{ text: 'x'.repeat(10_001) }, '/text'],
      [{ text: 'hello', extra: 1 }, ''],
    ]
    for (const [payload, path] of cases) {
      const response = await post(api, '/v1/intel/language/detect', payload)
      expect(response.statusCode, JSON.stringify(payload).slice(0, 40)).toBe(400)
      expect(response.headers['content-type']).toContain('application/problem+json')
      expect(response.json().code).toBe('validation_failed')
      if (path) expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path)
    }
    const malformed = await api.inject({
      method: 'POST',
      url: '/v1/intel/language/detect',
      payload: '{"text":',
      headers: { 'content-type': 'application/json' },
    })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().code).toBe('malformed_json')
  })
})

describe('translation route, embedded default (catalog only)', () => {
  it('translates catalog messages from any catalog language into another', async () => {
    const api = await languageApp()
    const ja = await post(api, '/v1/intel/translate', { text: 'Connect wallet', target: 'ja' })
    expect(ja.json()).toEqual({
      text: 'ウォレットを接続',
      source: 'en',
      target: 'ja',
      provider: 'catalog',
      cached: false,
    })
    const es = await post(api, '/v1/intel/translate', { text: '手数料が高すぎる', target: 'es' })
    expect(es.statusCode).toBe(422)
    const zh = await post(api, '/v1/intel/translate', { text: 'Intercambiar', source: 'es', target: 'zh' })
    expect(zh.json().text).toBe('兑换')
  })

  it('answers translation_unavailable for free text, never the text itself', async () => {
    const api = await languageApp()
    const response = await post(api, '/v1/intel/translate', {
      text: 'My swap failed twice today',
      target: 'ja',
    })
    expect(response.statusCode).toBe(422)
    expect(response.headers['content-type']).toContain('application/problem+json')
    expect(response.json()).toMatchObject({ code: 'translation_unavailable', reason: 'no_provider' })
    expect(response.body).not.toContain('"text"')
    const french = await post(api, '/v1/intel/translate', { text: 'Swap', source: 'en', target: 'fr' })
    expect(french.json()).toMatchObject({ code: 'translation_unavailable' })
    const same = await post(api, '/v1/intel/translate', { text: 'Swap', source: 'en', target: 'en' })
    expect(same.json().code).toBe('same_language')
  })

  it('rejects bad input with problem+json and limits each tenant', async () => {
    const api = await languageApp({ TRANSLATE_RATE_PER_MINUTE: '2' })
    for (const [payload, path] of [
      [{ text: 'Swap' }, '/target'],
      [{ text: 'Swap', target: 'JA' }, '/target'],
      [{ text: 'Swap', target: 'ja', source: 'english' }, '/source'],
      [{ text: '', target: 'ja' }, '/text'],
    ] as const) {
      const response = await post(api, '/v1/intel/translate', payload)
      expect(response.statusCode).toBe(400)
      expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path)
    }
    const call = (key: string) =>
      post(api, '/v1/intel/translate', { text: 'Swap', target: 'ja' }, { 'x-api-key': key })
    expect((await call('tenant-a')).statusCode).toBe(200)
    expect((await call('tenant-a')).statusCode).toBe(200)
    const limited = await call('tenant-a')
    expect(limited.statusCode).toBe(429)
    expect(limited.json().code).toBe('rate_limited')
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect((await call('tenant-b')).statusCode).toBe(200)
  })
})

describe('problem messages in the caller language', () => {
  it('takes the title from the catalog by Accept-Language and says which', async () => {
    const api = await languageApp()
    const ja = await api.inject({ url: '/v1/missing-pool', headers: { 'accept-language': 'ja,en;q=0.5' } })
    expect(ja.statusCode).toBe(404)
    expect(ja.headers['content-language']).toBe('ja')
    expect(ja.json()).toMatchObject({
      code: 'unknown_pool',
      title: 'このアドレスにはインデックス済みのプールがありません。',
      detail: 'no indexed pool at 0xabc',
    })
    const zh = await post(api, '/v1/intel/language/detect', {}, { 'accept-language': 'zh-CN' })
    expect(zh.json().title).toBe('请求不符合模式定义。')
    const plain = await api.inject({ url: '/v1/missing-pool' })
    expect(plain.headers['content-language']).toBeUndefined()
    expect(plain.json().title).toBe('Not Found')
  })
})
