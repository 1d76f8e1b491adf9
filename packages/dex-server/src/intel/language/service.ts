import type { IntelService } from '../service.js'
import { detectLanguage } from './detect.js'
import { languageRoutes } from './routes.js'

/**
 * Language detection and translation. No background work: detection runs on the request (tens of
 * microseconds), translation calls the configured provider behind a cache.
 */
export const languageService: IntelService = {
  name: 'language',
  routes: languageRoutes,
  health: () => ({
    name: 'language',
    // The detector's database loads with the module; a detection proves it answers.
    check: async () => {
      if (detectLanguage('The quick brown fox jumps over the lazy dog').language?.code !== 'en') {
        throw new Error('the language detector does not answer')
      }
    },
  }),
}
