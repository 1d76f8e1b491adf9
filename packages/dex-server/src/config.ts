import {
  baseConfigSchema,
  ConfigError,
  type ConfigIssue,
  loadConfig,
  secret,
} from '@platform/service-kit/config'
import { type Static, Type } from '@sinclair/typebox'
import { languageConfigSchema } from './intel/language/config.js'
import { predictConfigSchema } from './intel/predict/config.js'
import { INTEL_SERVICE_NAMES, type IntelServiceName } from './intel/service.js'
import {
  type IntelUpstream,
  localIntelServices,
  NO_INTEL_SERVICES,
  parseIntelUpstreams,
} from './intel/upstreams.js'
import { ACTOR_NAMES } from './simulator/actors/index.js'

const address = (description: string) =>
  Type.Optional(Type.String({ pattern: '^0x[0-9a-fA-F]{40}$', description }))

/** Soba DEX settings on top of the kit's base (NODE_ENV, LOG_LEVEL, DATABASE_URL, AMQP_URL, …). */
export const dexConfigSchema = Type.Object({
  ...baseConfigSchema.properties,
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535, description: 'DEX API port' }),
  DEX_PORT: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 65535,
      description: 'DEX API port; wins over PORT. `npm start` (both products) reads this, not PORT.',
    }),
  ),
  CHAIN_RPC_URL: Type.Optional(
    Type.String({
      description:
        'EVM JSON-RPC to index; unset = embedded EDR chain (development only: required in production)',
    }),
  ),
  CHAIN_PUBLIC_RPC_URL: Type.Optional(
    Type.String({
      description:
        'RPC URL /v1/chain hands to wallets (default CHAIN_RPC_URL; set it when that URL holds a key)',
    }),
  ),
  CHAIN_BLOCK_TIME_MS: Type.Integer({
    default: 1000,
    minimum: 0,
    description: 'Embedded chain: a block every this many ms; 0 mines one block per transaction',
  }),
  FACTORY_ADDRESS: address('Uniswap-v2-compatible factory (with CHAIN_RPC_URL)'),
  ROUTER_ADDRESS: address('Router02-compatible router (with CHAIN_RPC_URL)'),
  WETH_ADDRESS: address('Wrapped native token (with CHAIN_RPC_URL)'),
  QUOTE_TOKEN_ADDRESS: address('Token TVL and prices are quoted in; embedded default USDC'),
  INDEXER_START_BLOCK: Type.Integer({
    default: 0,
    minimum: 0,
    description: "First block to index; pairs created before it are read from the factory's allPairs",
  }),
  INDEXER_POLL_MS: Type.Integer({ default: 250, minimum: 10, description: 'Head polling period' }),
  DEX_INDEXER: Type.Boolean({
    default: true,
    description:
      'May run the indexer and outbox relay: `true` processes on one database elect one by lease; `false` only follows the stored index',
  }),
  INDEXER_LEASE_TTL_MS: Type.Integer({
    default: 15_000,
    minimum: 1000,
    description: 'How long the indexer lease lasts without renewal (renewed every third): the failover time',
  }),
  INDEXER_FOLLOW_MS: Type.Integer({
    default: 500,
    minimum: 10,
    description:
      'How often a process that does not index reads the stored cursor (and reloads the pool graph when it moved)',
  }),
  INDEXER_BATCH_BLOCKS: Type.Integer({
    default: 500,
    minimum: 1,
    description: 'Blocks read per eth_getLogs range during backfill',
  }),
  INDEXER_HEAD_BLOCKS: Type.Integer({
    default: 16,
    minimum: 0,
    description: 'Newest blocks read one by one by block hash (safe with log nodes that lag the head)',
  }),
  QUOTE_MAX_LAG_BLOCKS: Type.Integer({
    default: 3,
    minimum: 0,
    description: 'Quotes answer 503 indexer_behind while the index is more blocks than this behind the head',
  }),
  RATE_LIMIT_ENABLED: Type.Boolean({
    default: true,
    description: 'Token-bucket limit per client IP on every /v1 route (Redis when REDIS_URL is set)',
  }),
  RATE_LIMIT_IP_PER_MINUTE: Type.Integer({
    default: 1200,
    minimum: 1,
    description: 'Requests per client IP and minute on /v1 routes (sign-in has tighter limits)',
  }),
  RPC_HOST: Type.String({ default: '127.0.0.1', description: 'Embedded JSON-RPC bind address' }),
  RPC_PORT: Type.Integer({
    default: 8545,
    minimum: 0,
    maximum: 65535,
    description: 'Embedded JSON-RPC port',
  }),
  SESSION_KEYS: Type.Optional(
    secret(
      Type.String({
        description:
          'SIWE session encryption keys, `id:base64key[,id:base64key]` (32 bytes, current first); required in production',
      }),
    ),
  ),
  SIWE_DOMAINS: Type.Array(Type.String(), {
    default: [],
    description:
      "Comma-separated SIWE message domains; required in production (development: empty = the request's Host)",
  }),
  DEX_SERVICES: Type.Array(
    Type.Union([...INTEL_SERVICE_NAMES, NO_INTEL_SERVICES].map((name) => Type.Literal(name))),
    {
      default: [...INTEL_SERVICE_NAMES],
      description: `Intelligence services this process runs, comma-separated (${INTEL_SERVICE_NAMES.join(', ')}), or \`${NO_INTEL_SERVICES}\` (an API gateway: no service, no worker here)`,
    },
  ),
  DEX_INTEL_UPSTREAMS: Type.Array(Type.String(), {
    default: [],
    description:
      'Services other processes run, `<service>=<origin>` comma-separated (e.g. `risk=http://intel-risk:3000,chain=http://intel-chain:3000`): their `/v1/intel` routes are proxied there. A service may not be local (DEX_SERVICES) too',
  }),
  DEX_INTEL_TIMEOUT_MS: Type.Integer({
    default: 30_000,
    minimum: 100,
    description:
      'A proxied intelligence request (headers and body) is cut off after this long: 504. Keep it above the slowest route: a translation may take TRANSLATE_TIMEOUT_MS × (TRANSLATE_RETRIES + 1) plus backoff',
  }),
  ...predictConfigSchema.properties,
  ...languageConfigSchema.properties,
  WEB_DIST_DIR: Type.Optional(
    Type.String({ description: 'Built web app served at / (default packages/dex-web/dist)' }),
  ),
  WALLETCONNECT_PROJECT_ID: Type.Optional(
    Type.String({ description: 'WalletConnect Cloud project id; the web app offers WalletConnect when set' }),
  ),
  AUDIT_RETENTION_DAYS: Type.Integer({
    default: 365,
    minimum: 0,
    description:
      'Audit entries (sign-in, session revocation, account export and erasure) are kept this long; 0 = forever',
  }),
  ALERT_RETENTION_DAYS: Type.Integer({
    default: 90,
    minimum: 1,
    description: 'Price alerts that fired are deleted this many days later',
  }),
  RETENTION_SWEEP_MS: Type.Integer({
    default: 3_600_000,
    minimum: 1000,
    description: 'How often the retention purges run',
  }),
  SIM_ENABLED: Type.Boolean({ default: true, description: 'Run the market simulator (embedded chain)' }),
  SIM_INTERVAL_MS: Type.Integer({ default: 1000, minimum: 10, description: 'Simulator tick period' }),
  SIM_TRADES_PER_TICK: Type.Integer({ default: 3, minimum: 0, description: 'Noise trades per tick' }),
  SIM_SEED: Type.Integer({ default: 42, description: 'Seed of the reference price path and traders' }),
  SIM_ACTORS: Type.Array(Type.Union(ACTOR_NAMES.map((name) => Type.Literal(name))), {
    default: [],
    description: `Planted actors with ground truth, comma-separated (${ACTOR_NAMES.join(', ')}); none by default`,
  }),
  SIM_LABELS_FILE: Type.Optional(
    Type.String({
      description: 'Where planted actors append their labels (JSON lines; the evaluation reads it)',
    }),
  ),
  SIM_VOLATILITY_PCT: Type.Number({
    default: 80,
    minimum: 0,
    maximum: 1000,
    description: 'Annual volatility of the reference prices, percent (80 = about ETH)',
  }),
})

export type DexConfig = Omit<Static<typeof dexConfigSchema>, 'DEX_SERVICES' | 'DEX_INTEL_UPSTREAMS'> & {
  /** The services this process runs; empty for `none`. */
  DEX_SERVICES: IntelServiceName[]
  /** The services other processes run, validated (known names, http(s) origins, none local). */
  DEX_INTEL_UPSTREAMS: IntelUpstream[]
}

export function loadDexConfig(env: Record<string, string | undefined> = process.env): DexConfig {
  const raw = loadConfig(dexConfigSchema, env)
  const local = localIntelServices(raw.DEX_SERVICES)
  const remote = parseIntelUpstreams(raw.DEX_INTEL_UPSTREAMS, local.services)
  const config: DexConfig = { ...raw, DEX_SERVICES: local.services, DEX_INTEL_UPSTREAMS: remote.upstreams }
  const issues = [
    ...local.issues,
    ...remote.issues,
    ...(config.NODE_ENV === 'production' ? productionIssues(config) : []),
  ]
  if (issues.length > 0) throw new ConfigError(issues)
  return config
}

/**
 * What development may leave unset but production may not: the embedded chain serves unlocked
 * dev accounts (anyone reaching it can move their funds), and without SIWE_DOMAINS the server
 * would trust the request's Host, so a phishing site could relay a sign-in made for itself.
 */
function productionIssues(config: DexConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  if (!config.CHAIN_RPC_URL) {
    issues.push({
      variable: 'CHAIN_RPC_URL',
      message: 'is required in production (the embedded development chain never runs there)',
    })
  }
  if (config.SIWE_DOMAINS.filter(Boolean).length === 0) {
    issues.push({
      variable: 'SIWE_DOMAINS',
      message: 'is required in production (the domains your users sign in on, e.g. app.example.com)',
    })
  }
  return issues
}
