import { HttpProblem, problems } from '@platform/service-kit/http'
import { byApiKey, createRateLimitStore, type RateLimitStore } from '@platform/service-kit/ratelimit'
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { DexPlugin } from '../../app.js'
import { detectLanguage } from './detect.js'
import { CatalogProvider } from './translate/catalog.js'
import { createTranslationProvider } from './translate/factory.js'
import { SameLanguage, Translator } from './translate/translator.js'
import { ProviderFailure, TranslationUnavailable } from './translate/types.js'

/** Text with at least one non-space character. */
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' })
const LanguageCode = Type.String({ pattern: '^[a-z]{2}$', description: 'ISO 639-1 code' })
const LanguageRefSchema = Type.Object({ code: Type.String(), iso6393: Type.String(), name: Type.String() })

const DetectionSchema = Type.Object({
  language: Type.Union([LanguageRefSchema, Type.Null()]),
  confidence: Type.Number({ description: 'Top score over the top five scores: a margin, not a probability' }),
  reliable: Type.Boolean(),
  alternatives: Type.Array(Type.Object({ ...LanguageRefSchema.properties, score: Type.Number() })),
})

const TranslationSchema = Type.Object({
  text: Type.String(),
  source: Type.String(),
  target: Type.String(),
  provider: Type.String(),
  cached: Type.Boolean(),
})

/** A tenant is the caller's API key when it sends one (hashed), else its address. */
const tenantOf = (request: FastifyRequest) => byApiKey('x-api-key')(request) ?? `ip:${request.ip}`

/** Maps translation outcomes to problems: never a 500, never the input passed off as a translation. */
function translationProblem(error: unknown): unknown {
  if (error instanceof TranslationUnavailable) {
    return new HttpProblem(422, 'translation_unavailable', error.message, { reason: error.reason })
  }
  if (error instanceof SameLanguage) return new HttpProblem(422, 'same_language', error.message)
  if (error instanceof ProviderFailure) {
    const status = error.kind === 'timeout' ? 504 : error.kind === 'rate_limited' ? 503 : 502
    return new HttpProblem(status, 'translation_provider_failed', `${error.provider}: ${error.message}`, {
      provider: error.provider,
      reason: error.kind,
      ...(error.kind === 'rate_limited' ? { headers: { 'retry-after': '30' } } : {}),
    })
  }
  return error
}

export const languageRoutes: DexPlugin = async (app, { config, cache }) => {
  const translator = new Translator({
    catalog: new CatalogProvider(),
    provider: createTranslationProvider(config),
    cache,
    cacheTtlMs: config.TRANSLATE_CACHE_TTL_SECONDS * 1000,
    detect: (text) => detectLanguage(text).language?.code ?? null,
  })
  // Made on the first translation: a gateway that proxies this service opens no Redis client for it.
  let limits: RateLimitStore | undefined
  const budgets = () => {
    limits ??= createRateLimitStore({ redisUrl: config.REDIS_URL, keyPrefix: 'dex:translate:' })
    return limits
  }
  app.addHook('onClose', async () => limits?.close())

  app.post(
    '/language/detect',
    {
      schema: {
        summary: 'Language of a text (ISO 639-1 and 639-3), a confidence margin and the runner-up languages',
        tags: ['intel'],
        body: Type.Object({ text: Text(10_000) }, { additionalProperties: false }),
        response: { 200: DetectionSchema },
      },
    },
    async (request) => detectLanguage(request.body.text),
  )

  app.post(
    '/translate',
    {
      schema: {
        summary: `Translate a text (provider: ${translator.providerName}); catalog messages always, free text only with an HTTP provider`,
        tags: ['intel'],
        body: Type.Object(
          { text: Text(5000), target: LanguageCode, source: Type.Optional(LanguageCode) },
          { additionalProperties: false },
        ),
        response: { 200: TranslationSchema },
      },
    },
    async (request) => {
      const budget = await budgets().consume(tenantOf(request), {
        limit: config.TRANSLATE_RATE_PER_MINUTE,
        windowMs: 60_000,
      })
      if (!budget.allowed) {
        throw problems.tooManyRequests(
          budget.retryAfterMs / 1000,
          'translation budget of this tenant is spent',
        )
      }
      try {
        return await translator.translate(request.body)
      } catch (error) {
        throw translationProblem(error)
      }
    },
  )
}
