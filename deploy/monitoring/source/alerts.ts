/**
 * The alert rules of both products, with the promtool fixtures that prove each one fires when it
 * should and stays silent when it should not. generate.ts writes prometheus/rules/*.yml and
 * prometheus/tests/*.yml from here; nothing is edited by hand. Runbooks: docs/operations/runbooks.md.
 */

export type Severity = 'critical' | 'warning' | 'info'

/** Input series for promtool: `{ series: 'metric{labels}', values: '0+1x20' }` (promtool's notation). */
export interface Series {
  series: string
  values: string
}

export interface Fixture {
  series: Series[]
  /** When to evaluate (promtool eval_time). */
  at: string
  /** Labels the alert carries when it fires (besides alertname and severity). */
  labels?: Record<string, string>
}

export interface AlertRule {
  alert: string
  expr: string
  for: string
  severity: Severity
  /** Static text (promtool compares annotations exactly); the labels say which instance. */
  summary: string
  /** Anchor in docs/operations/runbooks.md. */
  runbook: string
  fires: Fixture
  silent: Fixture
}

export interface RuleGroup {
  /** File name under prometheus/rules and prometheus/tests. */
  file: 'chatsdk' | 'soba-dex'
  name: string
  rules: AlertRule[]
}

const CHAT = 'job=~"chat-api|chat-gateway"'
const DEX = 'job=~"dex-gateway|dex-intel"'

/** Requests per second by status: `total` for 30 min with `failing` of them answering 500. */
function requestSeries(job: string, perMinute: number, failingPerMinute: number): Series[] {
  return [
    {
      series: `http_requests_total{job="${job}",status_code="200"}`,
      values: `0+${perMinute - failingPerMinute}x30`,
    },
    { series: `http_requests_total{job="${job}",status_code="500"}`, values: `0+${failingPerMinute}x30` },
  ]
}

/** A latency histogram where `slowShare` of 600 requests a minute took 2.5 s and the rest 50 ms. */
function latencySeries(job: string, slowShare: number): Series[] {
  const slow = 600 * slowShare
  const bucket = (le: string, perMinute: number) => ({
    series: `http_request_duration_seconds_bucket{job="${job}",le="${le}"}`,
    values: `0+${perMinute}x30`,
  })
  return [
    bucket('0.05', 600 - slow),
    bucket('0.5', 600 - slow),
    bucket('1', 600 - slow),
    bucket('5', 600),
    bucket('+Inf', 600),
  ]
}

export const ruleGroups: RuleGroup[] = [
  {
    file: 'chatsdk',
    name: 'chatsdk',
    rules: [
      {
        alert: 'APIServiceDown',
        expr: `up{${CHAT}} == 0`,
        for: '1m',
        severity: 'critical',
        summary: 'A ChatSDK API or gateway instance does not answer scrapes',
        runbook: 'apiservicedown',
        fires: {
          series: [{ series: 'up{job="chat-api",instance="api-1"}', values: '1 1 0 0 0 0' }],
          at: '5m',
          labels: { job: 'chat-api', instance: 'api-1' },
        },
        silent: {
          series: [{ series: 'up{job="chat-api",instance="api-1"}', values: '1 1 1 0 1 1' }],
          at: '5m',
        },
      },
      {
        alert: 'HighErrorRate',
        expr: `sum by (job) (rate(http_requests_total{${CHAT},status_code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total{${CHAT}}[5m])) > 0.05`,
        for: '5m',
        severity: 'critical',
        summary: 'Over 5% of ChatSDK requests fail with 5xx',
        runbook: 'higherrorrate',
        fires: { series: requestSeries('chat-api', 600, 60), at: '20m', labels: { job: 'chat-api' } },
        silent: { series: requestSeries('chat-api', 600, 12), at: '20m' },
      },
      {
        alert: 'HighResponseTime',
        expr: `histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket{${CHAT}}[5m]))) > 1`,
        for: '5m',
        severity: 'warning',
        summary: 'ChatSDK p95 latency is over 1 s',
        runbook: 'highresponsetime',
        fires: { series: latencySeries('chat-api', 0.1), at: '20m', labels: { job: 'chat-api' } },
        silent: { series: latencySeries('chat-api', 0.02), at: '20m' },
      },
      {
        alert: 'HighMemoryUsage',
        expr: `process_resident_memory_bytes{${CHAT}} > 700 * 1024 * 1024`,
        for: '10m',
        severity: 'warning',
        summary: 'A ChatSDK process is near its 768 MiB memory limit',
        runbook: 'highmemoryusage',
        fires: {
          series: [
            {
              series: 'process_resident_memory_bytes{job="chat-api",instance="api-1"}',
              values: '750000000x20',
            },
          ],
          at: '15m',
          labels: { job: 'chat-api', instance: 'api-1' },
        },
        silent: {
          series: [
            {
              series: 'process_resident_memory_bytes{job="chat-api",instance="api-1"}',
              values: '400000000x20',
            },
          ],
          at: '15m',
        },
      },
      {
        alert: 'HighCPUUsage',
        expr: `rate(process_cpu_seconds_total{${CHAT}}[5m]) > 0.9`,
        for: '10m',
        severity: 'warning',
        summary: 'A ChatSDK process uses over 90% of a core',
        runbook: 'highcpuusage',
        fires: {
          series: [
            { series: 'process_cpu_seconds_total{job="chat-api",instance="api-1"}', values: '0+57x30' },
          ],
          at: '20m',
          labels: { job: 'chat-api', instance: 'api-1' },
        },
        silent: {
          series: [
            { series: 'process_cpu_seconds_total{job="chat-api",instance="api-1"}', values: '0+30x30' },
          ],
          at: '20m',
        },
      },
      {
        alert: 'DatabasePoolExhausted',
        expr: 'sum by (instance) (pg_stat_activity_count) / on (instance) max by (instance) (pg_settings_max_connections) > 0.9',
        for: '5m',
        severity: 'critical',
        summary: 'PostgreSQL has over 90% of max_connections in use',
        runbook: 'databasepoolexhausted',
        fires: {
          series: [
            { series: 'pg_stat_activity_count{instance="pg",state="active"}', values: '95x20' },
            { series: 'pg_settings_max_connections{instance="pg"}', values: '100x20' },
          ],
          at: '10m',
          labels: { instance: 'pg' },
        },
        silent: {
          series: [
            { series: 'pg_stat_activity_count{instance="pg",state="active"}', values: '40x20' },
            { series: 'pg_settings_max_connections{instance="pg"}', values: '100x20' },
          ],
          at: '10m',
        },
      },
      {
        alert: 'RedisMemoryFull',
        expr: 'redis_memory_used_bytes / redis_memory_max_bytes > 0.9 and redis_memory_max_bytes > 0',
        for: '5m',
        severity: 'critical',
        summary: 'Redis is over 90% of maxmemory (noeviction: writes fail when full)',
        runbook: 'redismemoryfull',
        fires: {
          series: [
            { series: 'redis_memory_used_bytes{instance="redis"}', values: '250x20' },
            { series: 'redis_memory_max_bytes{instance="redis"}', values: '256x20' },
          ],
          at: '10m',
          labels: { instance: 'redis' },
        },
        silent: {
          series: [
            { series: 'redis_memory_used_bytes{instance="redis"}', values: '100x20' },
            { series: 'redis_memory_max_bytes{instance="redis"}', values: '256x20' },
          ],
          at: '10m',
        },
      },
      {
        alert: 'DiskUsageHigh',
        expr: '1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay"} > 0.85',
        for: '10m',
        severity: 'warning',
        summary: 'A disk is over 85% full',
        runbook: 'diskusagehigh',
        fires: {
          series: [
            {
              series: 'node_filesystem_avail_bytes{instance="n1",mountpoint="/",fstype="ext4"}',
              values: '10x20',
            },
            {
              series: 'node_filesystem_size_bytes{instance="n1",mountpoint="/",fstype="ext4"}',
              values: '100x20',
            },
          ],
          at: '15m',
          labels: { instance: 'n1', mountpoint: '/', fstype: 'ext4' },
        },
        silent: {
          series: [
            {
              series: 'node_filesystem_avail_bytes{instance="n1",mountpoint="/",fstype="ext4"}',
              values: '50x20',
            },
            {
              series: 'node_filesystem_size_bytes{instance="n1",mountpoint="/",fstype="ext4"}',
              values: '100x20',
            },
          ],
          at: '15m',
        },
      },
      {
        alert: 'OutboxLagHigh',
        expr: `max by (job) (outbox_lag_seconds{${CHAT}}) > 30`,
        for: '5m',
        severity: 'warning',
        summary: 'ChatSDK realtime events wait over 30 s in the outbox before they are published',
        runbook: 'outboxlaghigh',
        fires: {
          series: [{ series: 'outbox_lag_seconds{job="chat-api",instance="api-1"}', values: '45x20' }],
          at: '10m',
          labels: { job: 'chat-api' },
        },
        silent: {
          series: [{ series: 'outbox_lag_seconds{job="chat-api",instance="api-1"}', values: '2x20' }],
          at: '10m',
        },
      },
      {
        alert: 'WebSocketDisconnectStorm',
        expr: `sum by (job) (rate(realtime_disconnects_total{${CHAT}}[2m])) > 20`,
        for: '2m',
        severity: 'critical',
        summary: 'ChatSDK WebSocket clients disconnect at over 20 a second',
        runbook: 'websocketdisconnectstorm',
        fires: {
          series: [
            {
              series: 'realtime_disconnects_total{job="chat-gateway",instance="gw-1",reason="x"}',
              values: '0+3000x20',
            },
          ],
          at: '10m',
          labels: { job: 'chat-gateway' },
        },
        silent: {
          series: [
            {
              series: 'realtime_disconnects_total{job="chat-gateway",instance="gw-1",reason="x"}',
              values: '0+60x20',
            },
          ],
          at: '10m',
        },
      },
    ],
  },
  {
    file: 'soba-dex',
    name: 'soba-dex',
    rules: [
      {
        alert: 'DexServiceDown',
        expr: `up{${DEX}} == 0`,
        for: '1m',
        severity: 'critical',
        summary: 'A Soba DEX instance does not answer scrapes',
        runbook: 'dexservicedown',
        fires: {
          series: [{ series: 'up{job="dex-gateway",instance="dex-1"}', values: '1 0 0 0 0 0' }],
          at: '5m',
          labels: { job: 'dex-gateway', instance: 'dex-1' },
        },
        silent: {
          series: [{ series: 'up{job="dex-gateway",instance="dex-1"}', values: '1 1 1 1 1 1' }],
          at: '5m',
        },
      },
      {
        alert: 'DexHighErrorRate',
        expr: `sum by (job) (rate(http_requests_total{${DEX},status_code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total{${DEX}}[5m])) > 0.01`,
        for: '5m',
        severity: 'critical',
        summary: 'Over 1% of Soba DEX requests fail with 5xx',
        runbook: 'dexhigherrorrate',
        fires: { series: requestSeries('dex-gateway', 600, 12), at: '20m', labels: { job: 'dex-gateway' } },
        silent: { series: requestSeries('dex-gateway', 600, 3), at: '20m' },
      },
      {
        alert: 'DexHighResponseTime',
        expr: `histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket{${DEX}}[5m]))) > 0.5`,
        for: '5m',
        severity: 'warning',
        summary: 'Soba DEX p95 latency is over 500 ms',
        runbook: 'dexhighresponsetime',
        fires: { series: latencySeries('dex-gateway', 0.1), at: '20m', labels: { job: 'dex-gateway' } },
        silent: { series: latencySeries('dex-gateway', 0.02), at: '20m' },
      },
      {
        alert: 'IndexerLagging',
        expr: 'max by (job, instance) (dex_indexer_lag_blocks) > 20',
        for: '5m',
        severity: 'warning',
        summary: 'The Soba DEX indexer is over 20 blocks behind the chain head',
        runbook: 'indexerlagging',
        fires: {
          series: [{ series: 'dex_indexer_lag_blocks{job="dex-gateway",instance="dex-1"}', values: '50x20' }],
          at: '10m',
          labels: { job: 'dex-gateway', instance: 'dex-1' },
        },
        silent: {
          series: [{ series: 'dex_indexer_lag_blocks{job="dex-gateway",instance="dex-1"}', values: '1x20' }],
          at: '10m',
        },
      },
      {
        alert: 'ReplicationLagHigh',
        expr: 'max by (instance) (pg_replication_lag_seconds) > 30',
        for: '5m',
        severity: 'critical',
        summary: 'The PostgreSQL standby replays over 30 s behind the primary',
        runbook: 'replicationlaghigh',
        fires: {
          series: [{ series: 'pg_replication_lag_seconds{instance="standby"}', values: '120x20' }],
          at: '10m',
          labels: { instance: 'standby' },
        },
        silent: {
          series: [{ series: 'pg_replication_lag_seconds{instance="standby"}', values: '1x20' }],
          at: '10m',
        },
      },
      {
        alert: 'NoTradingActivity',
        // Summed over every DEX process: one of them (the indexer lease holder, any gateway replica
        // after a failover) writes the index, the others (DEX_INDEXER=false, lease followers) count 0.
        expr: 'sum(increase(dex_indexer_events_total[30m])) == 0',
        for: '10m',
        severity: 'warning',
        summary: 'Soba DEX indexed no pool events (swaps, mints, burns, syncs) for 30 minutes',
        runbook: 'notradingactivity',
        fires: {
          series: [
            { series: 'dex_indexer_events_total{job="dex-gateway",instance="dex-1"}', values: '500x60' },
            { series: 'dex_indexer_events_total{job="dex-intel",instance="intel-1"}', values: '0x60' },
          ],
          at: '50m',
          labels: {},
        },
        silent: {
          series: [
            { series: 'dex_indexer_events_total{job="dex-gateway",instance="dex-1"}', values: '500+10x60' },
            { series: 'dex_indexer_events_total{job="dex-gateway",instance="dex-2"}', values: '0x60' },
            { series: 'dex_indexer_events_total{job="dex-intel",instance="intel-1"}', values: '0x60' },
          ],
          at: '50m',
        },
      },
      {
        alert: 'TransactionBuildFailures',
        expr: 'sum by (job) (rate(http_requests_total{job="dex-gateway",route=~"/v1/quote|/v1/liquidity/.*",status_code=~"5.."}[10m])) / sum by (job) (rate(http_requests_total{job="dex-gateway",route=~"/v1/quote|/v1/liquidity/.*"}[10m])) > 0.05',
        for: '10m',
        severity: 'warning',
        summary: 'Over 5% of Soba DEX swap and liquidity transaction builds fail',
        runbook: 'transactionbuildfailures',
        fires: {
          series: [
            {
              series: 'http_requests_total{job="dex-gateway",route="/v1/quote",status_code="200"}',
              values: '0+90x40',
            },
            {
              series: 'http_requests_total{job="dex-gateway",route="/v1/quote",status_code="500"}',
              values: '0+10x40',
            },
          ],
          at: '30m',
          labels: { job: 'dex-gateway' },
        },
        silent: {
          series: [
            {
              series: 'http_requests_total{job="dex-gateway",route="/v1/quote",status_code="200"}',
              values: '0+99x40',
            },
            {
              series: 'http_requests_total{job="dex-gateway",route="/v1/quote",status_code="500"}',
              values: '0+1x40',
            },
          ],
          at: '30m',
        },
      },
      {
        alert: 'SuspiciousSessionActivity',
        expr: 'sum by (job, signal) (increase(session_suspicious_events_total[10m])) > 10',
        for: '0m',
        severity: 'warning',
        summary: 'Over 10 suspicious session signals of one kind in 10 minutes',
        runbook: 'suspicioussessionactivity',
        fires: {
          series: [
            {
              series:
                'session_suspicious_events_total{job="dex-gateway",instance="dex-1",signal="new_device"}',
              values: '0+3x20',
            },
          ],
          at: '15m',
          labels: { job: 'dex-gateway', signal: 'new_device' },
        },
        silent: {
          series: [
            {
              series:
                'session_suspicious_events_total{job="dex-gateway",instance="dex-1",signal="new_device"}',
              values: '0+0.1x20',
            },
          ],
          at: '15m',
        },
      },
    ],
  },
]
