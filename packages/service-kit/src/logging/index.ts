export { BufferedFileDestination, type BufferedFileOptions } from './buffered-file.js'
export { dailyIndexName } from './bulk-index-name.js'
export { createLogger, type Logger, type LoggerOptions, shutdownLogger } from './create-logger.js'
export { ElasticsearchShipper, type ElasticsearchShippingOptions } from './elasticsearch-shipper.js'
export { createMasker, isSensitiveKey, MASK, type Masker } from './mask.js'
export {
  addCorrelationIds,
  type CorrelationIds,
  currentCorrelationIds,
  currentRequestContext,
  type RequestContext,
  requestContext,
  runInRequestContext,
} from './request-context.js'
export { logShippingFromConfig } from './shipping-from-config.js'
