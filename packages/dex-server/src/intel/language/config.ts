import { secret } from '@platform/service-kit/config'
import { Type } from '@sinclair/typebox'

/** Settings of the language service, spread into the DEX config schema. */
export const languageConfigSchema = Type.Object({
  TRANSLATE_PROVIDER: Type.Union(
    [Type.Literal('catalog'), Type.Literal('libretranslate'), Type.Literal('deepl')],
    {
      default: 'catalog',
      description:
        'Translation provider: catalog (embedded: only the DEX message catalog), libretranslate or deepl',
    },
  ),
  LIBRETRANSLATE_URL: Type.Optional(
    Type.String({ description: 'LibreTranslate base URL (with TRANSLATE_PROVIDER=libretranslate)' }),
  ),
  LIBRETRANSLATE_API_KEY: Type.Optional(
    secret(Type.String({ description: 'LibreTranslate API key, when the server wants one' })),
  ),
  DEEPL_API_URL: Type.String({
    default: 'https://api-free.deepl.com',
    description: 'DeepL API base URL (api-free.deepl.com or api.deepl.com)',
  }),
  DEEPL_API_KEY: Type.Optional(
    secret(Type.String({ description: 'DeepL authentication key (with TRANSLATE_PROVIDER=deepl)' })),
  ),
  TRANSLATE_TIMEOUT_MS: Type.Integer({
    default: 5000,
    minimum: 100,
    description: 'Timeout of one provider call',
  }),
  TRANSLATE_RETRIES: Type.Integer({
    default: 2,
    minimum: 0,
    maximum: 5,
    description: 'Retries of a provider call on timeout, network error, 429 or 5xx',
  }),
  TRANSLATE_CACHE_TTL_SECONDS: Type.Integer({
    default: 86_400,
    minimum: 0,
    description: 'How long a provider translation is cached',
  }),
  TRANSLATE_RATE_PER_MINUTE: Type.Integer({
    default: 60,
    minimum: 1,
    description: 'Translations per tenant (API key, else client IP) per minute',
  }),
})
