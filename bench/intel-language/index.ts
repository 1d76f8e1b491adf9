/**
 * `npm run bench -- intel-language`: eld, franc, tinyld and cld on the same held-out set
 * (heldout.ts: sentences written for this repository, in no detector's training data), short
 * (≤ 30 characters) and long texts apart. Reports accuracy per language, the macro average, each
 * library's declines, and speed (mean microseconds per text over several passes after a warm-up),
 * all in one run.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type Detector, detectors, missingDetectors } from './detectors.js'
import { HELD_OUT, type HeldOutText } from './heldout.js'

const PASSES = 5

interface LengthResult {
  texts: number
  accuracy: number
  macroAccuracy: number
  perLanguage: Record<string, number>
  declined: number
  /** Up to ten misses as "expected→answered". */
  misses: string[]
  microsecondsPerText: number
}

async function evaluate(detector: Detector, texts: HeldOutText[]): Promise<LengthResult> {
  const correct = new Map<string, number>()
  const total = new Map<string, number>()
  const misses: string[] = []
  let declined = 0
  for (const t of texts) {
    const answer = await detector.detect(t.text)
    total.set(t.lang, (total.get(t.lang) ?? 0) + 1)
    if (answer === t.lang) correct.set(t.lang, (correct.get(t.lang) ?? 0) + 1)
    else {
      if (answer === null) declined++
      if (misses.length < 10) misses.push(`${t.lang}→${answer ?? 'none'}`)
    }
  }
  // Speed: the same texts again, several passes, after the scoring pass warmed the library up.
  const started = performance.now()
  for (let pass = 0; pass < PASSES; pass++) for (const t of texts) await detector.detect(t.text)
  const microsecondsPerText = ((performance.now() - started) * 1000) / (PASSES * texts.length)
  const perLanguage = Object.fromEntries(
    [...total].map(([lang, n]) => [lang, round((correct.get(lang) ?? 0) / n)]),
  )
  const rates = Object.values(perLanguage)
  const hits = [...correct.values()].reduce((a, b) => a + b, 0)
  return {
    texts: texts.length,
    accuracy: round(hits / texts.length),
    macroAccuracy: round(rates.reduce((a, b) => a + b, 0) / rates.length),
    perLanguage,
    declined,
    misses,
    microsecondsPerText: Math.round(microsecondsPerText),
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000

/** Resident memory a library adds once loaded and used once, measured in a fresh Node process. */
function memoryMegabytes(detector: Detector): number {
  const script = `const before = process.memoryUsage().rss; ${detector.load}; console.log(process.memoryUsage().rss - before)`
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    encoding: 'utf8',
  })
  return Math.round(Number(out.trim()) / 1e6)
}

export async function run() {
  const short = HELD_OUT.filter((t) => t.length === 'short')
  const long = HELD_OUT.filter((t) => t.length === 'long')
  const results: Record<
    string,
    { version: string; memoryMB: number; short: LengthResult; long: LengthResult }
  > = {}
  for (const detector of detectors) {
    results[detector.name] = {
      version: detector.version,
      memoryMB: memoryMegabytes(detector),
      short: await evaluate(detector, short),
      long: await evaluate(detector, long),
    }
  }
  console.log(
    'library         version  MB    short macro  long macro  short µs/text  long µs/text  declined (short)',
  )
  for (const [name, r] of Object.entries(results)) {
    console.log(
      [
        name.padEnd(15),
        r.version.padEnd(8),
        String(r.memoryMB).padEnd(5),
        r.short.macroAccuracy.toFixed(3).padEnd(12),
        r.long.macroAccuracy.toFixed(3).padEnd(11),
        String(r.short.microsecondsPerText).padEnd(14),
        String(r.long.microsecondsPerText).padEnd(13),
        r.short.declined,
      ].join(' '),
    )
  }
  return {
    at: new Date().toISOString(),
    set: {
      languages: [...new Set(HELD_OUT.map((t) => t.lang))],
      short: short.length,
      long: long.length,
      source: 'bench/intel-language/heldout.ts (written for this repository)',
    },
    served: 'eld (medium database), the library the language service uses',
    results,
    notRun: missingDetectors,
  }
}
