/**
 * Why the kit's log file destination writes 64 KiB chunks: the cost per log line of appending
 * lines to a file with one synchronous write per chunk, for chunk sizes from pino's buffered
 * destination (4 KiB) up. Not one of the `npm run bench` suites (no peer, no target); it backs the
 * chunk size chosen in service-kit/src/logging/buffered-file.ts. Run: `npx tsx bench/log-write-chunks.ts`.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const LINE = `${'x'.repeat(479)}\n` // the size of the kit's per-request ECS line
const BYTES_PER_SIZE = 64 * 1024 * 1024
const dir = mkdtempSync(join(tmpdir(), 'log-chunks-'))
try {
  const results: Record<string, number> = {}
  for (const chunkBytes of [4_096, 16_384, 65_536, 262_144]) {
    const fd = openSync(join(dir, `${chunkBytes}.log`), 'w')
    const chunk = Buffer.from(LINE.repeat(Math.max(1, Math.floor(chunkBytes / LINE.length))))
    const started = process.hrtime.bigint()
    for (let written = 0; written < BYTES_PER_SIZE; written += chunk.length) writeSync(fd, chunk)
    const elapsedNs = Number(process.hrtime.bigint() - started)
    closeSync(fd)
    results[`${chunkBytes / 1024} KiB`] = Math.round(elapsedNs / (BYTES_PER_SIZE / LINE.length))
  }
  console.log(JSON.stringify({ nanosecondsPerLine: results }, null, 2))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
