import { baseConfigSchema, loadConfig, secret } from '@platform/service-kit/config'
import { type Static, Type } from '@sinclair/typebox'

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
    Type.String({ description: 'EVM JSON-RPC to index; unset = embedded EDR chain' }),
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
  INDEXER_START_BLOCK: Type.Integer({ default: 0, minimum: 0, description: 'First block to index' }),
  INDEXER_POLL_MS: Type.Integer({ default: 250, minimum: 10, description: 'Head polling period' }),
  INDEXER_BATCH_BLOCKS: Type.Integer({
    default: 500,
    minimum: 1,
    description: 'Blocks read per eth_getLogs range during backfill',
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
    description: 'Comma-separated domains SIWE messages may name; empty = the Host of the request',
  }),
  SIM_ENABLED: Type.Boolean({ default: true, description: 'Run the market simulator (embedded chain)' }),
  SIM_INTERVAL_MS: Type.Integer({ default: 1000, minimum: 10, description: 'Simulator tick period' }),
  SIM_TRADES_PER_TICK: Type.Integer({ default: 3, minimum: 0, description: 'Noise trades per tick' }),
  SIM_SEED: Type.Integer({ default: 42, description: 'Seed of the reference price path and traders' }),
  SIM_VOLATILITY_BPS: Type.Integer({
    default: 30,
    minimum: 0,
    description: 'Reference path step volatility per tick, basis points',
  }),
})

export type DexConfig = Static<typeof dexConfigSchema>

export function loadDexConfig(env: Record<string, string | undefined> = process.env): DexConfig {
  return loadConfig(dexConfigSchema, env) as DexConfig
}
