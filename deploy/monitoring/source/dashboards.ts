/**
 * The Grafana dashboards of both products as data: title, PromQL and unit per panel. generate.ts
 * builds them with @grafana/grafana-foundation-sdk into grafana/dashboards/*.json, and the
 * real-Prometheus test (prometheus-scrape.test.ts) evaluates every query against the running
 * servers and exporters and demands data from every panel. `from` says what exports a panel's
 * series: the servers, or the exporter scraped beside them (the job of the same name).
 */

export type Source = 'server' | 'node' | 'postgres' | 'redis' | 'cadvisor'

export interface PanelSpec {
  title: string
  expr: string
  unit: string
  legend?: string
  from: Source
}

export interface DashboardSpec {
  uid: string
  title: string
  tags: string[]
  panels: PanelSpec[]
}

const chat = 'job=~"chat-api|chat-gateway"'
const dex = 'job=~"dex-gateway|dex-intel"'
/**
 * Intelligence requests as clients see them: at the gateway, which proxies them to the dex-intel
 * processes (DEX_INTEL_UPSTREAMS); counting both jobs would count each request twice.
 */
const intelClients = 'job="dex-gateway"'

/** Counters with labels appear on their first event; until then the panel shows 0, not "No data". */
const orZero = (expr: string) => `(${expr}) or vector(0)`

const rate = (metric: string, selector: string, by = 'job') =>
  `sum by (${by}) (rate(${metric}{${selector}}[5m]))`
const p = (q: number, selector: string) =>
  `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[5m])))`
const errorShare = (selector: string) =>
  `(sum(rate(http_requests_total{${selector},status_code=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{${selector}}[5m]))`

/** Process panels both products share (prom-client's default metrics). */
const processPanels = (selector: string): PanelSpec[] => [
  {
    title: 'Resident memory',
    expr: `process_resident_memory_bytes{${selector}}`,
    unit: 'bytes',
    legend: '{{instance}}',
    from: 'server',
  },
  {
    title: 'CPU (cores)',
    expr: `rate(process_cpu_seconds_total{${selector}}[5m])`,
    unit: 'short',
    legend: '{{instance}}',
    from: 'server',
  },
  {
    title: 'Event loop lag p99',
    expr: `nodejs_eventloop_lag_p99_seconds{${selector}}`,
    unit: 's',
    legend: '{{instance}}',
    from: 'server',
  },
  {
    title: 'Heap used',
    expr: `nodejs_heap_size_used_bytes{${selector}}`,
    unit: 'bytes',
    legend: '{{instance}}',
    from: 'server',
  },
]

const hostPanels: PanelSpec[] = [
  {
    title: 'Host CPU busy',
    expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',
    unit: 'percentunit',
    from: 'node',
  },
  {
    title: 'Disk used',
    expr: '1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay"}',
    unit: 'percentunit',
    legend: '{{mountpoint}}',
    from: 'node',
  },
  {
    title: 'Container memory',
    expr: 'sum by (name) (container_memory_working_set_bytes{name!=""})',
    unit: 'bytes',
    legend: '{{name}}',
    from: 'cadvisor',
  },
]

export const dashboards: DashboardSpec[] = [
  {
    uid: 'chatsdk-overview',
    title: 'ChatSDK / Overview',
    tags: ['chatsdk'],
    panels: [
      { title: 'Targets up', expr: `sum by (job) (up{${chat}})`, unit: 'short', from: 'server' },
      {
        title: 'Requests per second',
        expr: rate('http_requests_total', chat),
        unit: 'reqps',
        from: 'server',
      },
      { title: '5xx share', expr: errorShare(chat), unit: 'percentunit', from: 'server' },
      {
        title: 'Messages sent per second',
        expr: 'sum(rate(messages_sent_total[5m]))',
        unit: 'short',
        from: 'server',
      },
      { title: 'Active users', expr: 'sum(chat_active_users)', unit: 'short', from: 'server' },
      {
        title: 'WebSocket connections',
        expr: `sum(active_websocket_connections{${chat}})`,
        unit: 'short',
        from: 'server',
      },
    ],
  },
  {
    uid: 'chatsdk-api',
    title: 'ChatSDK / API performance',
    tags: ['chatsdk'],
    panels: [
      { title: 'p50 latency', expr: p(0.5, chat), unit: 's', from: 'server' },
      { title: 'p95 latency', expr: p(0.95, chat), unit: 's', from: 'server' },
      { title: 'p99 latency', expr: p(0.99, chat), unit: 's', from: 'server' },
      {
        title: 'Requests by route',
        expr: rate('http_requests_total', chat, 'route'),
        unit: 'reqps',
        legend: '{{route}}',
        from: 'server',
      },
      {
        title: 'Requests in flight',
        expr: `sum(http_requests_in_flight{${chat}})`,
        unit: 'short',
        from: 'server',
      },
      {
        title: 'Rate-limited requests',
        expr: orZero(`sum by (policy) (rate(rate_limit_exceeded_total{${chat}}[5m]))`),
        unit: 'reqps',
        legend: '{{policy}}',
        from: 'server',
      },
      {
        title: 'Failed authentications',
        expr: orZero(`sum(rate(auth_failures_total{${chat}}[5m]))`),
        unit: 'reqps',
        from: 'server',
      },
    ],
  },
  {
    uid: 'chatsdk-database',
    title: 'ChatSDK / Database',
    tags: ['chatsdk'],
    panels: [
      {
        title: 'Query p95',
        expr: 'histogram_quantile(0.95, sum by (le) (rate(db_query_duration_seconds_bucket[5m])))',
        unit: 's',
        from: 'server',
      },
      {
        title: 'Slow operations',
        expr: orZero(`sum by (kind) (rate(slow_operations_total{${chat}}[5m]))`),
        unit: 'short',
        legend: '{{kind}}',
        from: 'server',
      },
      { title: 'Outbox backlog', expr: `sum(outbox_backlog{${chat}})`, unit: 'short', from: 'server' },
      {
        title: 'Cache hit ratio',
        expr: '(sum(rate(cache_hits_total[5m])) or vector(0)) / ((sum(rate(cache_hits_total[5m])) or vector(0)) + (sum(rate(cache_misses_total[5m])) or vector(0)))',
        unit: 'percentunit',
        from: 'server',
      },
      {
        title: 'Connections in use',
        expr: 'sum(pg_stat_activity_count) / max(pg_settings_max_connections)',
        unit: 'percentunit',
        from: 'postgres',
      },
      { title: 'Redis memory', expr: 'redis_memory_used_bytes', unit: 'bytes', from: 'redis' },
    ],
  },
  {
    uid: 'chatsdk-system',
    title: 'ChatSDK / System resources',
    tags: ['chatsdk'],
    panels: [...processPanels(chat), ...hostPanels],
  },
  {
    uid: 'chatsdk-websocket',
    title: 'ChatSDK / WebSocket connections',
    tags: ['chatsdk'],
    panels: [
      {
        title: 'Connections',
        expr: `sum by (instance) (active_websocket_connections{${chat}})`,
        unit: 'short',
        legend: '{{instance}}',
        from: 'server',
      },
      {
        title: 'Connects per second',
        expr: `sum(rate(realtime_connects_total{${chat}}[5m]))`,
        unit: 'short',
        from: 'server',
      },
      {
        title: 'Disconnects per second',
        expr: orZero(`sum(rate(realtime_disconnects_total{${chat}}[5m]))`),
        unit: 'short',
        from: 'server',
      },
      {
        title: 'Publish to deliver p99',
        expr: 'histogram_quantile(0.99, sum by (le) (rate(realtime_publish_to_deliver_seconds_bucket[5m])))',
        unit: 's',
        from: 'server',
      },
      { title: 'Outbox lag', expr: `max(outbox_lag_seconds{${chat}})`, unit: 's', from: 'server' },
      {
        title: 'Commands per second',
        expr: orZero(`sum(rate(realtime_commands_total{${chat}}[5m]))`),
        unit: 'short',
        from: 'server',
      },
    ],
  },
  {
    uid: 'dex-overview',
    title: 'Soba DEX / Overview',
    tags: ['soba-dex'],
    panels: [
      { title: 'Targets up', expr: `sum by (job) (up{${dex}})`, unit: 'short', from: 'server' },
      { title: 'Requests per second', expr: rate('http_requests_total', dex), unit: 'reqps', from: 'server' },
      { title: '5xx share', expr: errorShare(dex), unit: 'percentunit', from: 'server' },
      { title: 'p95 latency', expr: p(0.95, dex), unit: 's', from: 'server' },
      ...processPanels(dex).slice(0, 2),
    ],
  },
  {
    uid: 'dex-trading',
    title: 'Soba DEX / Trading',
    tags: ['soba-dex'],
    panels: [
      {
        title: 'Indexed pool events per second',
        expr: 'sum(rate(dex_indexer_events_total[5m]))',
        unit: 'short',
        from: 'server',
      },
      {
        title: 'Quote requests per second',
        expr: `sum(rate(http_requests_total{${dex},route="/v1/quote"}[5m]))`,
        unit: 'reqps',
        from: 'server',
      },
      {
        title: 'Quote p95',
        expr: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${dex},route="/v1/quote"}[5m])))`,
        unit: 's',
        from: 'server',
      },
      {
        title: 'Swap and liquidity build failures',
        expr: orZero(
          `sum(rate(http_requests_total{${dex},route=~"/v1/quote|/v1/liquidity/.*",status_code=~"5.."}[5m]))`,
        ),
        unit: 'reqps',
        from: 'server',
      },
    ],
  },
  {
    uid: 'dex-indexer',
    title: 'Soba DEX / Indexer and chain',
    tags: ['soba-dex'],
    panels: [
      { title: 'Indexed block', expr: 'max(dex_indexer_block)', unit: 'none', from: 'server' },
      {
        // 1 in a healthy deployment: the process holding the indexer lease; 0 means nobody indexes.
        title: 'Processes writing the index',
        expr: 'sum(dex_indexer_leader)',
        unit: 'short',
        from: 'server',
      },
      {
        title: 'Lag behind head (blocks)',
        expr: 'max(dex_indexer_lag_blocks)',
        unit: 'short',
        from: 'server',
      },
      {
        title: 'Reorgs (1 h)',
        expr: 'sum(increase(dex_indexer_reorgs_total[1h]))',
        unit: 'short',
        from: 'server',
      },
      {
        title: 'Queue jobs per second',
        expr: `sum by (outcome) (rate(queue_jobs_total{${dex}}[5m]))`,
        unit: 'short',
        legend: '{{outcome}}',
        from: 'server',
      },
      {
        title: 'Queue messages published per second',
        expr: `sum by (queue) (rate(queue_published_total{${dex}}[5m]))`,
        unit: 'short',
        legend: '{{queue}}',
        from: 'server',
      },
      {
        title: 'Pipeline dead letters open',
        expr: `max(intel_pipeline_dlq_size{${dex}})`,
        unit: 'short',
        from: 'server',
      },
      {
        title: 'Standby replication lag',
        expr: 'max(pg_replication_lag_seconds)',
        unit: 's',
        from: 'postgres',
      },
    ],
  },
  {
    uid: 'dex-intel',
    title: 'Soba DEX / Intelligence services',
    tags: ['soba-dex'],
    panels: [
      {
        title: 'Intel requests per second',
        expr: `sum by (route) (rate(http_requests_total{${intelClients},route=~"/v1/intel/.*"}[5m]))`,
        unit: 'reqps',
        legend: '{{route}}',
        from: 'server',
      },
      {
        title: 'Intel p95 latency',
        expr: `histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{${intelClients},route=~"/v1/intel/.*"}[5m])))`,
        unit: 's',
        legend: '{{route}}',
        from: 'server',
      },
      {
        title: 'Intel processes up',
        expr: 'sum by (instance) (up{job="dex-intel"})',
        unit: 'short',
        from: 'server',
      },
    ],
  },
  {
    uid: 'dex-security',
    title: 'Soba DEX / Sessions and security',
    tags: ['soba-dex'],
    panels: [
      {
        title: 'Rate-limited requests',
        expr: orZero(`sum by (policy) (rate(rate_limit_exceeded_total{${dex}}[5m]))`),
        unit: 'reqps',
        legend: '{{policy}}',
        from: 'server',
      },
      {
        title: 'SIWE sign-ins',
        expr: `sum by (outcome) (rate(siwe_verifications_total{${dex}}[5m]))`,
        unit: 'reqps',
        legend: '{{outcome}}',
        from: 'server',
      },
      {
        title: 'Sessions opened and ended (1 h)',
        expr: `sum by (event) (increase(dex_sessions_total{${dex}}[1h]))`,
        unit: 'short',
        legend: '{{event}}',
        from: 'server',
      },
      {
        title: 'Suspicious session signals',
        expr: `sum by (signal) (increase(session_suspicious_events_total{${dex}}[1h]))`,
        unit: 'short',
        legend: '{{signal}}',
        from: 'server',
      },
      {
        title: '4xx share',
        expr: `sum(rate(http_requests_total{${dex},status_code=~"4.."}[5m])) / sum(rate(http_requests_total{${dex}}[5m]))`,
        unit: 'percentunit',
        from: 'server',
      },
    ],
  },
]
