import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely'
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'

/** The ChatSDK product metrics (names from the readiness report), on the app's own registry. */
export interface ChatMetrics {
  messagesSent: Counter
  pollsCreated: Counter
  uploads: Counter<'kind'>
  webhookDeliveries: Counter<'outcome'>
  dbQueryDuration: Histogram<'operation'>
  cacheHits: Counter<'cache'>
  cacheMisses: Counter<'cache'>
  activeUsers: Gauge<'window'>
}

/** `countActiveUsers(seconds)` feeds the active-user gauges at scrape time. */
export function createChatMetrics(
  registry: Registry,
  countActiveUsers?: (windowSeconds: number) => Promise<number>,
): ChatMetrics {
  const registers = [registry]
  return {
    messagesSent: new Counter({ name: 'messages_sent_total', help: 'Messages accepted', registers }),
    pollsCreated: new Counter({ name: 'polls_created_total', help: 'Polls created', registers }),
    uploads: new Counter({
      name: 'uploads_total',
      help: 'Completed uploads by kind',
      labelNames: ['kind'],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome (success, retry, failed)',
      labelNames: ['outcome'],
      registers,
    }),
    dbQueryDuration: new Histogram({
      name: 'db_query_duration_seconds',
      help: 'SQL statement duration by operation',
      labelNames: ['operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    cacheHits: new Counter({
      name: 'cache_hits_total',
      help: 'Cache hits',
      labelNames: ['cache'],
      registers,
    }),
    cacheMisses: new Counter({
      name: 'cache_misses_total',
      help: 'Cache misses',
      labelNames: ['cache'],
      registers,
    }),
    activeUsers: new Gauge({
      name: 'chat_active_users',
      help: 'Distinct users active within the window (5m, 24h)',
      labelNames: ['window'],
      registers,
      async collect() {
        if (!countActiveUsers) return
        const [five, day] = await Promise.all([countActiveUsers(300), countActiveUsers(86_400)])
        this.set({ window: '5m' }, five)
        this.set({ window: '24h' }, day)
      },
    }),
  }
}

/**
 * Times every statement Kysely runs: transformQuery marks the start, transformResult observes.
 * The label is the statement kind, so cardinality stays bounded.
 */
export class QueryTimingPlugin implements KyselyPlugin {
  private readonly started = new WeakMap<object, { at: number; operation: string }>()

  constructor(private readonly histogram: Histogram<'operation'>) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.started.set(args.queryId, { at: performance.now(), operation: operationOf(args.node) })
    return args.node
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const start = this.started.get(args.queryId)
    if (start) this.histogram.observe({ operation: start.operation }, (performance.now() - start.at) / 1000)
    return args.result
  }
}

function operationOf(node: RootOperationNode): string {
  switch (node.kind) {
    case 'SelectQueryNode':
      return 'select'
    case 'InsertQueryNode':
      return 'insert'
    case 'UpdateQueryNode':
      return 'update'
    case 'DeleteQueryNode':
      return 'delete'
    default:
      return 'raw'
  }
}
