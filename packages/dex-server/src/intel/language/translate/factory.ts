import { DeepLProvider } from './deepl.js'
import { LibreTranslateProvider } from './libretranslate.js'
import type { TranslationProvider } from './types.js'

export interface ProviderConfig {
  TRANSLATE_PROVIDER: 'catalog' | 'libretranslate' | 'deepl'
  LIBRETRANSLATE_URL?: string | undefined
  LIBRETRANSLATE_API_KEY?: string | undefined
  DEEPL_API_URL: string
  DEEPL_API_KEY?: string | undefined
  TRANSLATE_TIMEOUT_MS: number
  TRANSLATE_RETRIES: number
}

/** The HTTP provider the config names, or null for the catalog-only embedded default. */
export function createTranslationProvider(
  config: ProviderConfig,
  fetchImpl?: typeof fetch,
): TranslationProvider | null {
  const common = {
    timeoutMs: config.TRANSLATE_TIMEOUT_MS,
    retries: config.TRANSLATE_RETRIES,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  }
  switch (config.TRANSLATE_PROVIDER) {
    case 'catalog':
      return null
    case 'libretranslate':
      if (!config.LIBRETRANSLATE_URL)
        throw new Error('TRANSLATE_PROVIDER=libretranslate needs LIBRETRANSLATE_URL')
      return new LibreTranslateProvider({
        url: config.LIBRETRANSLATE_URL,
        apiKey: config.LIBRETRANSLATE_API_KEY,
        ...common,
      })
    case 'deepl':
      if (!config.DEEPL_API_KEY) throw new Error('TRANSLATE_PROVIDER=deepl needs DEEPL_API_KEY')
      return new DeepLProvider({ url: config.DEEPL_API_URL, apiKey: config.DEEPL_API_KEY, ...common })
  }
}
