import { badRequest } from '../shared/problems.js'

/**
 * Word-list profanity filter. `mask` replaces each listed word (whole word, any case) with
 * asterisks; `reject` refuses the text. The list comes from config (PROFANITY_WORDS).
 */
export function createProfanityFilter(words: string[]) {
  const list = words.map((word) => word.trim()).filter(Boolean)
  if (list.length === 0) return (text: string) => text
  const escaped = list.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu')
  return (text: string, mode: 'off' | 'mask' | 'reject' = 'off'): string => {
    if (mode === 'off') return text
    if (mode === 'reject') {
      pattern.lastIndex = 0
      if (pattern.test(text))
        throw badRequest('profanity', 'the message contains words this app does not allow')
      return text
    }
    return text.replace(pattern, (word) => '*'.repeat(word.length))
  }
}

export type ProfanityFilter = ReturnType<typeof createProfanityFilter>
