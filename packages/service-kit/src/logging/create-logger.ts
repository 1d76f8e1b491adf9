import { ecsFormat } from '@elastic/ecs-pino-format'
import pino, { type DestinationStream, type Level, type Logger } from 'pino'
import { BufferedFileDestination } from './buffered-file.js'
import { ElasticsearchShipper, type ElasticsearchShippingOptions } from './elasticsearch-shipper.js'
import { createMasker } from './mask.js'
import { prettyDestination, stdoutFormat } from './pretty-lines.js'
import { addCorrelationIds } from './request-context.js'

export type { Logger } from 'pino'

export interface LoggerOptions {
  service: string
  level?: Level | 'silent'
  version?: string
  environment?: string
  /**
   * Where lines go: a stream, a file path, or stdout when omitted: JSON there too, except on a
   * terminal outside production (NODE_ENV), where lines are written for people (pretty-lines.ts).
   */
  destination?: DestinationStream | NodeJS.WritableStream | string
  /** Extra streams (e.g. the Elasticsearch shipper) that receive every line too. */
  streams?: (DestinationStream | NodeJS.WritableStream)[]
  /** Dot paths masked in addition to the key patterns, e.g. `body.card.number`. */
  maskPaths?: string[]
  /** Also ship every line to Elasticsearch (`_bulk`, daily `{service}-logs-YYYY.MM.DD` index). */
  shipping?: Omit<ElasticsearchShippingOptions, 'service'>
}

const shippers = new WeakMap<Logger, ElasticsearchShipper>()

/** Ships what the logger's Elasticsearch shipper still holds; call before exiting. */
export async function shutdownLogger(logger: Logger): Promise<void> {
  await shippers.get(logger)?.close()
  if (typeof logger.flush !== 'function') return
  await new Promise<void>((resolve) => logger.flush(() => resolve()))
}

/**
 * A pino logger writing one ECS JSON line per event. Each line carries `service.name`, the
 * `request.id` and `trace.id` of the work in progress (from AsyncLocalStorage / OpenTelemetry), and
 * has secrets masked by key pattern and by path, in nested objects, arrays and errors.
 */
export function createLogger(options: LoggerOptions): Logger {
  const ecs = ecsFormat({
    serviceName: options.service,
    ...(options.version ? { serviceVersion: options.version } : {}),
    ...(options.environment ? { serviceEnvironment: options.environment } : {}),
    convertErr: false,
    apmIntegration: false,
  })
  const mask = createMasker(options.maskPaths)
  const shipper = options.shipping
    ? new ElasticsearchShipper({ ...options.shipping, service: options.service })
    : undefined
  const streams = [...(options.streams ?? []), ...(shipper ? [shipper] : [])]
  const logger = pino(
    {
      ...ecs,
      level: options.level ?? 'info',
      timestamp: isoTimestamp,
      formatters: {
        ...ecs.formatters,
        // One pass builds the line's fields: correlation ids first (fields the caller logs win),
        // then the masked fields. This replaces a pino mixin (an object and a merge per line) and
        // ecs-pino-format's log formatter, which with convertErr and apmIntegration off only
        // copies the object again; errors are already ECS-shaped by the masker.
        log(object) {
          const line: Record<string, unknown> = {}
          addCorrelationIds(line)
          const masked = mask(object) as Record<string, unknown>
          for (const key in masked) {
            if (!Object.hasOwn(masked, key)) continue
            if (key !== 'err') line[key] = masked[key]
            else if (masked.err !== undefined) line.error = masked.err
          }
          return line
        },
      },
    },
    destinationOf(options.destination, streams),
  )
  if (shipper) shippers.set(logger, shipper)
  return logger
}

let timestampMs = 0
let timestampField = ''

/**
 * ECS `@timestamp`, as ecs-pino-format writes it, formatted once per millisecond: under load many
 * lines share a millisecond, and toISOString is a visible part of a line's cost.
 */
function isoTimestamp(): string {
  const now = Date.now()
  if (now !== timestampMs) {
    timestampMs = now
    timestampField = `,"@timestamp":"${new Date(now).toISOString()}"`
  }
  return timestampField
}

type Stream = DestinationStream | NodeJS.WritableStream | { write(line: string): unknown }

/**
 * A file path gets the chunked file writer (buffered-file.ts). Standard output stays line by line:
 * it is often a terminal or a parent process following the lines as they come. Other streams
 * (the Elasticsearch shipper) always get the JSON line.
 */
function destinationOf(destination: LoggerOptions['destination'], streams: Stream[]): DestinationStream {
  const main =
    typeof destination === 'string'
      ? new BufferedFileDestination(destination)
      : ((destination as DestinationStream | undefined) ?? stdoutDestination())
  if (streams.length === 0) return main
  // multistream filters at `info` per stream unless told otherwise; the logger's level already filters.
  return pino.multistream(
    [main, ...streams].map((stream) => ({ level: 'trace' as const, stream: stream as DestinationStream })),
  )
}

function stdoutDestination(): DestinationStream {
  return stdoutFormat(process.stdout, process.env.NODE_ENV) === 'pretty'
    ? prettyDestination()
    : pino.destination(1)
}
