import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { BufferedFileDestination } from './buffered-file.js'

const dirs: string[] = []
function logPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'buffered-file-'))
  dirs.push(dir)
  return join(dir, 'nested', 'app.log')
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('BufferedFileDestination', () => {
  it('holds lines until the chunk fills, then writes them in order', () => {
    const path = logPath()
    const destination = new BufferedFileDestination(path, { chunkBytes: 256 })
    destination.write('first\n')
    expect(readFileSync(path, 'utf8')).toBe('')
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i} ${'x'.repeat(i)}\n`)
    for (const line of lines) destination.write(line)
    const written = readFileSync(path, 'utf8')
    expect(written.length).toBeGreaterThan(0)
    expect(`first\n${lines.join('')}`.startsWith(written)).toBe(true)
    destination.end()
    expect(readFileSync(path, 'utf8')).toBe(`first\n${lines.join('')}`)
  })

  it('keeps multi-byte text whole across chunk boundaries, and writes a line larger than a chunk', () => {
    const path = logPath()
    const destination = new BufferedFileDestination(path, { chunkBytes: 64 })
    const lines = ['日本語のログ行です\n', '🎉 emoji ✓\n', `${'長'.repeat(100)}\n`, 'ascii\n', 'ünïcödé\n']
    for (const line of lines) destination.write(line)
    destination.flushSync()
    expect(readFileSync(path, 'utf8')).toBe(lines.join(''))
    destination.end()
  })

  it('flushes on logger.flush, on the timer, and drops (counting) after end', async () => {
    const path = logPath()
    const destination = new BufferedFileDestination(path, { flushEveryMs: 20 })
    destination.write('a\n')
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(readFileSync(path, 'utf8')).toBe('a\n')
    destination.write('b\n')
    await new Promise<void>((resolve) => destination.flush(() => resolve()))
    expect(readFileSync(path, 'utf8')).toBe('a\nb\n')
    destination.end()
    expect(destination.write('c\n')).toBe(false)
    expect(destination.droppedLines).toBe(1)
    expect(readFileSync(path, 'utf8')).toBe('a\nb\n')
  })

  it('writes what is pending when the process exits', () => {
    const path = logPath()
    const module = pathToFileURL(join(import.meta.dirname, 'buffered-file.ts')).href
    const script = `const { BufferedFileDestination } = await import(${JSON.stringify(module)})
      const destination = new BufferedFileDestination(${JSON.stringify(path)})
      destination.write('before exit\\n')
      process.exit(0)`
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script])
    expect(readFileSync(path, 'utf8')).toBe('before exit\n')
  })
})
