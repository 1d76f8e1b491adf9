/**
 * The four detectors the issue names, behind one call that answers an ISO 639-1 code (or null when
 * the library declines). franc answers ISO 639-3; its codes are mapped for the languages of the
 * held-out set (any other answer is wrong for this set anyway).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { eld as eldLarge } from 'eld/large'
import { eld as eldMedium } from 'eld/medium'
import { franc } from 'franc'
import { detect as tinyldHeavy } from 'tinyld/heavy'
import { detect as tinyldLight } from 'tinyld/light'

export interface Detector {
  name: string
  version: string
  /** A module expression that loads the library, for measuring its memory in a fresh process. */
  load: string
  detect(text: string): Promise<string | null>
}

const require = createRequire(import.meta.url)
// The exact versions pinned in bench/package.json (eld's exports hide its own package.json).
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const version = (name: string) => String(manifest.dependencies[name] ?? manifest.optionalDependencies[name])

const FRANC_TO_ISO1: Record<string, string> = {
  eng: 'en',
  spa: 'es',
  fra: 'fr',
  deu: 'de',
  ita: 'it',
  por: 'pt',
  nld: 'nl',
  rus: 'ru',
  jpn: 'ja',
  cmn: 'zh',
  kor: 'ko',
  arb: 'ar',
  tur: 'tr',
  pol: 'pl',
}

interface Cld {
  detect(text: string): Promise<{ languages: Array<{ code: string; percent: number }> }>
}
/**
 * cld is a native addon (CLD2 in C++), an optional dependency: where it does not compile (its
 * node-addon-api build broke when another package hoisted a newer node-addon-api), npm skips it
 * and the evaluation runs without it, saying so.
 */
function loadCld(): Cld | undefined {
  try {
    return require('cld') as Cld
  } catch {
    return undefined
  }
}
const cld = loadCld()
export const missingDetectors = cld ? [] : ['cld (optional native addon, not built on this machine)']

export const detectors: Detector[] = [
  {
    name: 'eld (large)',
    version: version('eld'),
    load: "(await import('eld/large')).eld.detect('hola')",
    detect: async (text) => eldLarge.detect(text).language || null,
  },
  {
    name: 'eld (medium)',
    version: version('eld'),
    load: "(await import('eld/medium')).eld.detect('hola')",
    detect: async (text) => eldMedium.detect(text).language || null,
  },
  {
    name: 'franc',
    version: version('franc'),
    load: "(await import('franc')).franc('hola amigo')",
    // 'und' is franc declining; any other unmapped code is a wrong answer, kept as such.
    detect: async (text) => {
      const code = franc(text, { minLength: 1 })
      return code === 'und' ? null : (FRANC_TO_ISO1[code] ?? code)
    },
  },
  {
    name: 'tinyld (heavy)',
    version: version('tinyld'),
    load: "(await import('tinyld/heavy')).detect('hola')",
    detect: async (text) => tinyldHeavy(text) || null,
  },
  {
    name: 'tinyld (light)',
    version: version('tinyld'),
    load: "(await import('tinyld/light')).detect('hola')",
    detect: async (text) => tinyldLight(text) || null,
  },
]

if (cld)
  detectors.push({
    name: 'cld',
    version: version('cld'),
    load: "await (await import('cld')).default.detect('this is a sentence in english, long enough').catch(() => 0)",
    // CLD2 throws "Failed to identify language" on text it will not call: a decline, not a crash.
    detect: async (text) => {
      try {
        const code = (await cld.detect(text)).languages[0]?.code ?? null
        return code === 'zh-Hant' ? 'zh' : code
      } catch {
        return null
      }
    },
  })
