import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Ground truth the planted actors record: what they did and that it landed. Only the evaluation
 * reads it; no detector ever does (detectors read the chain).
 */
export type GroundTruth =
  | { kind: 'wash_trader'; address: string; ring: string }
  | { kind: 'clean_trader'; address: string; role: string }
  | {
      kind: 'sandwich'
      block: number
      attacker: string
      victim: string
      front: string
      victimTx: string
      back: string
    }
  | { kind: 'arbitrage'; block: number; tx: string; attacker: string }
  | { kind: 'token'; address: string; honeypot: boolean; variant: string }
  | { kind: 'volume_booster'; address: string }

export interface LabelSink {
  record(label: GroundTruth): void
}

export const discardLabels: LabelSink = { record() {} }

/** Appends one JSON line per label to `path` (created with its folder). */
export function fileLabelSink(path: string): LabelSink {
  mkdirSync(dirname(path), { recursive: true })
  return {
    record(label) {
      appendFileSync(path, `${JSON.stringify(label)}\n`)
    },
  }
}

/** In memory, for tests. */
export function memoryLabelSink(): LabelSink & { labels: GroundTruth[] } {
  const labels: GroundTruth[] = []
  return { labels, record: (label) => void labels.push(label) }
}
