import type { DestinationStream } from 'pino'

/**
 * Human-readable logs for a developer's terminal. The logger still builds its ECS JSON line (so
 * masking and correlation ids are the same everywhere); this destination turns it into
 * `12:04:05.123 INFO  chat-server  message  key=value …`, with the error's stack below.
 * Files, pipes, containers and production keep the JSON line (see stdoutFormat).
 */

/** Fields every line carries that a person reading a terminal does not need repeated. */
const HIDDEN = new Set([
  '@timestamp',
  'log.level',
  'message',
  'service.name',
  'event.dataset',
  'ecs.version',
  'process.pid',
  'host.hostname',
  'error',
])

const LEVEL_COLORS: Record<string, string> = {
  trace: '90',
  debug: '36',
  info: '32',
  warn: '33',
  error: '31',
  fatal: '35',
}

/** JSON on standard output unless it is a terminal outside production (NODE_ENV). */
export function stdoutFormat(stdout: { isTTY?: boolean }, nodeEnv: string | undefined): 'pretty' | 'json' {
  return stdout.isTTY === true && nodeEnv !== 'production' ? 'pretty' : 'json'
}

/** One ECS JSON line as one human line (plus the stack of its error, if any). */
export function prettyLine(json: string, colors: boolean): string {
  let line: Record<string, unknown>
  try {
    line = JSON.parse(json)
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`
  }
  const paint = (code: string, text: string) => (colors ? `\u001b[${code}m${text}\u001b[0m` : text)
  const level = String(line['log.level'] ?? 'info')
  const time = typeof line['@timestamp'] === 'string' ? line['@timestamp'].slice(11, 23) : ''
  const fields: string[] = []
  for (const [key, value] of Object.entries(line)) {
    if (HIDDEN.has(key) || value === undefined) continue
    fields.push(`${paint('2', `${key}=`)}${typeof value === 'string' ? value : JSON.stringify(value)}`)
  }
  const head = [
    paint('2', time),
    paint(LEVEL_COLORS[level] ?? '0', level.toUpperCase().padEnd(5)),
    paint('1', String(line['service.name'] ?? '')),
    String(line.message ?? ''),
    ...fields,
  ].join('  ')
  const error = line.error as { message?: string; stack_trace?: string } | undefined
  const stack = error ? `\n${paint('31', error.stack_trace ?? error.message ?? JSON.stringify(error))}` : ''
  return `${head}${stack}\n`
}

/** A pino destination writing human lines to a terminal stream (standard output by default). */
export function prettyDestination(
  out: NodeJS.WritableStream = process.stdout,
  colors = !process.env.NO_COLOR,
): DestinationStream {
  return { write: (json: string) => void out.write(prettyLine(json, colors)) }
}
