import { postJson } from './http.js'
import {
  ProviderFailure,
  type Translation,
  type TranslationProvider,
  type TranslationRequest,
} from './types.js'

export interface DeepLOptions {
  /** https://api-free.deepl.com or https://api.deepl.com (or a compatible proxy). */
  url: string
  apiKey: string
  timeoutMs: number
  retries: number
  fetch?: typeof fetch
}

/** DeepL's target codes where they differ from ISO 639-1 (regional variants are required there). */
const TARGETS: Record<string, string> = { en: 'EN-US', pt: 'PT-BR', zh: 'ZH-HANS' }

/** DeepL's `POST /v2/translate`. */
export class DeepLProvider implements TranslationProvider {
  readonly name = 'deepl'

  constructor(private readonly options: DeepLOptions) {}

  async translate(request: TranslationRequest): Promise<Translation> {
    const answer = (await postJson(
      `${this.options.url.replace(/\/$/, '')}/v2/translate`,
      {
        text: [request.text],
        target_lang: TARGETS[request.target] ?? request.target.toUpperCase(),
        ...(request.source ? { source_lang: request.source.toUpperCase() } : {}),
      },
      {
        provider: this.name,
        timeoutMs: this.options.timeoutMs,
        retries: this.options.retries,
        headers: { authorization: `DeepL-Auth-Key ${this.options.apiKey}` },
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      },
    )) as { translations?: Array<{ text?: unknown; detected_source_language?: unknown }> }
    const first = answer?.translations?.[0]
    if (typeof first?.text !== 'string') {
      throw new ProviderFailure(this.name, 'bad_response', 'no translations[0].text in the answer')
    }
    const detected = first.detected_source_language
    return {
      text: first.text,
      source: request.source ?? (typeof detected === 'string' ? detected.toLowerCase() : 'auto'),
      provider: this.name,
    }
  }
}
