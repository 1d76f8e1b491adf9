import { describe, expect, it } from 'vitest'
import { LOCALES, MESSAGES, message, negotiateLocale, problemTitle } from './messages.js'

describe('message catalog', () => {
  it('has every English message in Japanese, Spanish and Chinese, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const locale of LOCALES) {
      for (const [key, english] of Object.entries(MESSAGES.en)) {
        const translated = MESSAGES[locale][key as keyof typeof MESSAGES.en]
        expect(translated, `${locale} ${key}`).toBeTruthy()
        expect(placeholders(translated as string), `${locale} ${key}`).toEqual(placeholders(english))
      }
    }
  })

  it('fills placeholders and finds problem titles by code', () => {
    expect(message('ui.approve_token', 'ja', { symbol: 'USDC' })).toBe('USDC を承認')
    expect(problemTitle('unknown_pool', 'es')).toBe('No hay ningún fondo indexado en esta dirección.')
    expect(problemTitle('no_such_code', 'es')).toBeUndefined()
  })

  it('negotiates Accept-Language by weight and primary subtag, English otherwise', () => {
    expect(negotiateLocale('ja-JP,ja;q=0.9,en;q=0.8')).toBe('ja')
    expect(negotiateLocale('fr-FR, es-MX;q=0.7, en;q=0.3')).toBe('es')
    expect(negotiateLocale('zh-Hant-TW')).toBe('zh')
    expect(negotiateLocale('en;q=0.2, zh;q=0.9')).toBe('zh')
    expect(negotiateLocale('de, fr')).toBe('en')
    expect(negotiateLocale('ja;q=0, es')).toBe('es')
    expect(negotiateLocale(undefined)).toBe('en')
    expect(negotiateLocale(';;;,,q=abc')).toBe('en')
  })
})
