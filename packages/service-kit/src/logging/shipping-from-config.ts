import type { BaseConfig } from '../config/base-schema.js'
import type { LoggerOptions } from './create-logger.js'

/**
 * The logger's Elasticsearch shipping from ELASTICSEARCH_URL / ELASTICSEARCH_API_KEY: spread it into
 * createLogger's options. Empty when ELASTICSEARCH_URL is unset (logs go to stdout only).
 */
export function logShippingFromConfig(
  config: Pick<BaseConfig, 'ELASTICSEARCH_URL' | 'ELASTICSEARCH_API_KEY'>,
): Pick<LoggerOptions, 'shipping'> {
  if (!config.ELASTICSEARCH_URL) return {}
  return {
    shipping: {
      url: config.ELASTICSEARCH_URL,
      ...(config.ELASTICSEARCH_API_KEY ? { apiKey: config.ELASTICSEARCH_API_KEY } : {}),
    },
  }
}
