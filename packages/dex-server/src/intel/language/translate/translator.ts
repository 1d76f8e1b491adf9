import { createHash } from 'node:crypto'
import type { Cache } from '@platform/service-kit/cache'
import type { CatalogProvider } from './catalog.js'
import { type TranslationProvider, TranslationUnavailable } from './types.js'

export interface TranslateInput {
  text: string
  source?: string | undefined
  target: string
}

export interface TranslateResult {
  text: string
  source: string
  target: string
  provider: string
  cached: boolean
}

/** The text is already in the target language: nothing to translate. */
export class SameLanguage extends Error {}

export interface TranslatorOptions {
  catalog: CatalogProvider
  /** The HTTP provider from config; null in the embedded default (catalog only). */
  provider: TranslationProvider | null
  cache: Cache
  cacheTtlMs: number
  /** ISO 639-1 code of a text, or null when it cannot tell. */
  detect: (text: string) => string | null
}

const normalize = (text: string) => text.trim().normalize('NFC')

/**
 * One translation path: catalog messages first (exact, free), then the configured provider with a
 * shared cache of repeated texts and one in-flight call per distinct text. Whatever comes back is
 * checked: an empty answer or the input handed back unchanged is no translation.
 */
export class Translator {
  private readonly inflight = new Map<string, Promise<TranslateResult>>()

  constructor(private readonly options: TranslatorOptions) {}

  get providerName(): string {
    return this.options.provider?.name ?? this.options.catalog.name
  }

  async translate(input: TranslateInput): Promise<TranslateResult> {
    // An exact catalog message names its own language: no detection needed (short UI strings are
    // where detectors err most).
    try {
      const hit = await this.options.catalog.translate({ ...input, source: input.source ?? null })
      if (hit.source === input.target) throw new SameLanguage(`the text is already in ${input.target}`)
      return { ...hit, target: input.target, cached: false }
    } catch (error) {
      if (!(error instanceof TranslationUnavailable)) throw error
    }
    const source = input.source ?? this.options.detect(input.text)
    if (source === input.target) throw new SameLanguage(`the text is already in ${input.target}`)
    const request = { text: input.text, source, target: input.target }
    const provider = this.options.provider
    if (provider === null) {
      throw new TranslationUnavailable(
        'no_provider',
        'only catalog messages are translated here: set TRANSLATE_PROVIDER to libretranslate or deepl for free text',
      )
    }
    const digest = createHash('sha256').update(normalize(input.text)).digest('base64url')
    const key = `translate:${provider.name}:${source ?? 'auto'}:${input.target}:${digest}`
    const cached = await this.options.cache.get<Omit<TranslateResult, 'cached'>>(key)
    if (cached) return { ...cached, cached: true }
    const running = this.inflight.get(key)
    if (running) return running
    const call = (async () => {
      const answer = await provider.translate(request)
      if (normalize(answer.text) === '')
        throw new TranslationUnavailable('empty', `${provider.name} answered an empty text`)
      if (normalize(answer.text) === normalize(input.text)) {
        throw new TranslationUnavailable('unchanged', `${provider.name} handed the text back unchanged`)
      }
      const result = {
        text: answer.text,
        source: answer.source,
        target: input.target,
        provider: provider.name,
      }
      await this.options.cache.set(key, result, { ttlMs: this.options.cacheTtlMs })
      return { ...result, cached: false }
    })()
    this.inflight.set(key, call)
    try {
      return await call
    } finally {
      this.inflight.delete(key)
    }
  }
}
