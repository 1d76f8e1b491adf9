import { isLocale, LOCALES, type Locale, MESSAGES, type MessageKey } from '../messages.js'
import {
  type Translation,
  type TranslationProvider,
  type TranslationRequest,
  TranslationUnavailable,
} from './types.js'

const normalize = (text: string) => text.trim().normalize('NFC')

/**
 * Translates what the DEX truly has in several languages: the entries of its message catalog
 * (error messages, UI strings, token descriptions). A text that is not exactly one of them has no
 * translation here, and says so.
 */
export class CatalogProvider implements TranslationProvider {
  readonly name = 'catalog'
  /** Normalised text → the catalog keys and locales that hold it. */
  private readonly index = new Map<string, Array<{ key: MessageKey; locale: Locale }>>()

  constructor() {
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(MESSAGES[locale])) {
        const entries = this.index.get(normalize(text)) ?? []
        entries.push({ key: key as MessageKey, locale })
        this.index.set(normalize(text), entries)
      }
    }
  }

  async translate(request: TranslationRequest): Promise<Translation> {
    if (!isLocale(request.target)) {
      throw new TranslationUnavailable('not_in_catalog', `the catalog has no ${request.target} messages`)
    }
    const target = request.target
    const hit = (this.index.get(normalize(request.text)) ?? []).find(
      (entry) =>
        (request.source === null || entry.locale === request.source) &&
        MESSAGES[target][entry.key] !== undefined,
    )
    if (hit === undefined) {
      throw new TranslationUnavailable('not_in_catalog', 'the text is not one of the catalog messages')
    }
    return { text: MESSAGES[target][hit.key] as string, source: hit.locale, provider: this.name }
  }
}
