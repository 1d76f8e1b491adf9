export { dailyIndexName } from './bulk-index-name.js'
export { createLogger, type Logger, type LoggerOptions, shutdownLogger } from './create-logger.js'
export { ElasticsearchShipper, type ElasticsearchShippingOptions } from './elasticsearch-shipper.js'
export { createMasker, isSensitiveKey, MASK, type Masker } from './mask.js'
export {
  type CorrelationIds,
  currentCorrelationIds,
  type RequestContext,
  requestContext,
} from './request-context.js'
