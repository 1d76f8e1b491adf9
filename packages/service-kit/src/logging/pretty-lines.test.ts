import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prettyLine, stdoutFormat } from './pretty-lines.js'

const run = promisify(execFile)
const loggingModule = fileURLToPath(new URL('./index.ts', import.meta.url))
let folder: string
let script: string

// A process that logs to standard output the way the servers do (createLogger, no destination).
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'pretty-lines-'))
  script = join(folder, 'log.mjs')
  await writeFile(
    script,
    `const { createLogger } = await import(${JSON.stringify(loggingModule)})
const logger = createLogger({ service: 'tty-test' })
logger.info({ order: { id: 7 }, password: 'hunter2' }, 'order placed')
logger.error({ err: new Error('boom') }, 'order failed')
`,
  )
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

/** Runs the script with standard output on a pipe, or on a pseudo-terminal through util-linux `script`. */
async function logOutput(terminal: boolean, env: Record<string, string>): Promise<string[]> {
  const command = `node --import tsx ${script}`
  const { stdout } = terminal
    ? await run('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...env } })
    : await run('node', ['--import', 'tsx', script], { env: { ...process.env, ...env } })
  return stdout.split(/\r?\n/).filter(Boolean)
}

describe('logs on standard output', () => {
  it('are human lines on a terminal in development, secrets still masked', async () => {
    const lines = await logOutput(true, { NODE_ENV: 'development', NO_COLOR: '1' })
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} {2}INFO {3}tty-test {2}order placed {2}order=\{"id":7\} {2}password=\[REDACTED\]$/,
    )
    expect(lines[1]).toMatch(/ERROR {2}tty-test {2}order failed$/)
    expect(lines[2]).toBe('Error: boom')
    expect(lines.join('\n')).not.toContain('hunter2')
  })

  it('stay JSON on a terminal in production', async () => {
    const lines = await logOutput(true, { NODE_ENV: 'production' })
    expect(JSON.parse(lines[0]!)).toMatchObject({ 'log.level': 'info', message: 'order placed' })
  })

  it('stay JSON when standard output is not a terminal', async () => {
    const lines = await logOutput(false, { NODE_ENV: 'development' })
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['order placed', 'order failed'])
  })
})

describe('pretty lines', () => {
  it('choose the format from the terminal and NODE_ENV', () => {
    expect(stdoutFormat({ isTTY: true }, 'development')).toBe('pretty')
    expect(stdoutFormat({ isTTY: true }, undefined)).toBe('pretty')
    expect(stdoutFormat({ isTTY: true }, 'production')).toBe('json')
    expect(stdoutFormat({}, 'development')).toBe('json')
  })

  it('pass through what is not JSON and colour the level only when asked', () => {
    expect(prettyLine('not json', false)).toBe('not json\n')
    const line = JSON.stringify({
      'log.level': 'warn',
      '@timestamp': '2026-01-02T03:04:05.678Z',
      message: 'm',
    })
    expect(prettyLine(line, false)).toBe('03:04:05.678  WARN     m\n')
    expect(prettyLine(line, true)).toContain('\u001b[33mWARN \u001b[0m')
  })
})
