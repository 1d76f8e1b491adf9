import { postJson } from './http.js'
import {
  ProviderFailure,
  type Translation,
  type TranslationProvider,
  type TranslationRequest,
} from './types.js'

export interface LibreTranslateOptions {
  url: string
  apiKey?: string | undefined
  timeoutMs: number
  retries: number
  fetch?: typeof fetch
}

/** LibreTranslate's `POST /translate` (self-hostable, open source). */
export class LibreTranslateProvider implements TranslationProvider {
  readonly name = 'libretranslate'

  constructor(private readonly options: LibreTranslateOptions) {}

  async translate(request: TranslationRequest): Promise<Translation> {
    const answer = (await postJson(
      `${this.options.url.replace(/\/$/, '')}/translate`,
      {
        q: request.text,
        source: request.source ?? 'auto',
        target: request.target,
        format: 'text',
        ...(this.options.apiKey ? { api_key: this.options.apiKey } : {}),
      },
      {
        provider: this.name,
        timeoutMs: this.options.timeoutMs,
        retries: this.options.retries,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      },
    )) as { translatedText?: unknown; detectedLanguage?: { language?: unknown } }
    if (typeof answer?.translatedText !== 'string') {
      throw new ProviderFailure(this.name, 'bad_response', 'no translatedText in the answer')
    }
    const detected = answer.detectedLanguage?.language
    return {
      text: answer.translatedText,
      source: request.source ?? (typeof detected === 'string' ? detected : 'auto'),
      provider: this.name,
    }
  }
}
