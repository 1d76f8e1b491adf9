/** Gateway metrics, registered on the registry the host app gives (or a private one). */
import { Counter, Gauge, Histogram, Registry } from 'prom-client'

export interface GatewayMetrics {
  registry: Registry
  connections: Gauge
  deliveries: Counter
  deliverLatency: Histogram
  connects: Counter
  disconnects: Counter<'code'>
  recoveries: Counter<'outcome'>
  commands: Counter<'method'>
}

export function createGatewayMetrics(registry: Registry = new Registry()): GatewayMetrics {
  const existing = registry.getSingleMetric('active_websocket_connections')
  if (existing) return cached.get(registry) as GatewayMetrics
  const metrics: GatewayMetrics = {
    registry,
    connections: new Gauge({
      name: 'active_websocket_connections',
      help: 'WebSocket connections open on this gateway node',
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'messages_received_total',
      help: 'Publications, joins and leaves written to client connections',
      registers: [registry],
    }),
    deliverLatency: new Histogram({
      name: 'realtime_publish_to_deliver_seconds',
      help: 'Time from broker publish to the write to the last local reader of a publication',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    connects: new Counter({
      name: 'realtime_connects_total',
      help: 'Successful connect commands',
      registers: [registry],
    }),
    disconnects: new Counter({
      name: 'realtime_disconnects_total',
      help: 'Closed connections by disconnect code',
      labelNames: ['code'],
      registers: [registry],
    }),
    recoveries: new Counter({
      name: 'realtime_recoveries_total',
      help: 'Subscribe recoveries by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    commands: new Counter({
      name: 'realtime_commands_total',
      help: 'Client commands by method',
      labelNames: ['method'],
      registers: [registry],
    }),
  }
  cached.set(registry, metrics)
  return metrics
}

const cached = new WeakMap<Registry, GatewayMetrics>()
