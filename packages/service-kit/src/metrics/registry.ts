import { collectDefaultMetrics, Registry } from 'prom-client'

/**
 * A registry of its own per app, so two services in one process (npm start) expose separate
 * /metrics. Default process metrics are collected into it, labelled with the service.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  collectDefaultMetrics({ register: registry })
  return registry
}
