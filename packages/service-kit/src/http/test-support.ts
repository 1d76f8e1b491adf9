import { PassThrough } from 'node:stream'
import { createLogger, type Logger } from '../logging/index.js'

/** A kit logger whose JSON lines are collected in memory, for tests. */
export function memoryLogger(
  service = 'kit-test',
  level: 'info' | 'debug' = 'info',
): { logger: Logger; lines: Record<string, any>[] } {
  const stream = new PassThrough()
  const lines: Record<string, any>[] = []
  let pending = ''
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString()
    const parts = pending.split('\n')
    pending = parts.pop() ?? ''
    for (const line of parts) if (line) lines.push(JSON.parse(line))
  })
  return { logger: createLogger({ service, level, destination: stream }), lines }
}
