export { createHttpMetrics, type HttpMetrics, UNMATCHED_ROUTE } from './http-metrics.js'
export { type MetricsPluginOptions, registerMetrics } from './metrics-plugin.js'
export { createMetricsRegistry } from './registry.js'
