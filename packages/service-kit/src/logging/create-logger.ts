import { ecsFormat } from '@elastic/ecs-pino-format'
import pino, { type DestinationStream, type Level, type Logger } from 'pino'
import { ElasticsearchShipper, type ElasticsearchShippingOptions } from './elasticsearch-shipper.js'
import { createMasker } from './mask.js'
import { currentCorrelationIds } from './request-context.js'

export type { Logger } from 'pino'

export interface LoggerOptions {
  service: string
  level?: Level | 'silent'
  version?: string
  environment?: string
  /** Where lines go: a stream, a file path, or stdout when omitted. */
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
  const ecsLog = ecs.formatters!.log!
  const logger = pino(
    {
      ...ecs,
      level: options.level ?? 'info',
      formatters: {
        ...ecs.formatters,
        log(object) {
          const { err, ...rest } = mask(object) as Record<string, unknown>
          const formatted = ecsLog(rest)
          // mask() turned errors into ECS-shaped objects already; ECS calls the field `error`.
          if (err !== undefined) formatted.error = err
          return formatted
        },
      },
      mixin() {
        const ids = currentCorrelationIds()
        const fields: Record<string, string> = {}
        if (ids.requestId) fields['request.id'] = ids.requestId
        if (ids.traceId) fields['trace.id'] = ids.traceId
        if (ids.spanId) fields['span.id'] = ids.spanId
        return fields
      },
    },
    destinationOf(options.destination, streams),
  )
  if (shipper) shippers.set(logger, shipper)
  return logger
}

type Stream = DestinationStream | NodeJS.WritableStream | { write(line: string): unknown }

function destinationOf(destination: LoggerOptions['destination'], streams: Stream[]): DestinationStream {
  const main =
    typeof destination === 'string'
      ? pino.destination({ dest: destination, mkdir: true, sync: false })
      : ((destination as DestinationStream | undefined) ?? pino.destination(1))
  if (streams.length === 0) return main
  // multistream filters at `info` per stream unless told otherwise; the logger's level already filters.
  return pino.multistream(
    [main, ...streams].map((stream) => ({ level: 'trace' as const, stream: stream as DestinationStream })),
  )
}
