-- Soba DEX intelligence (issue 12): the indexer's outbox, the event pipeline's consumer state and
-- aggregates, and the chain scanner's activity tables the risk and chain services read.
-- Every row derived from a block carries its block number, so a reorg deletes above the fork.

-- Events written in the indexer's transaction; a relay publishes them and stamps published_at.
-- event_id holds the block hash, so events re-emitted after a reorg are distinct events.
CREATE TABLE intel_outbox (
  seq bigserial PRIMARY KEY,
  event_id text NOT NULL,
  topic text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX intel_outbox_unpublished ON intel_outbox (seq) WHERE published_at IS NULL;

-- Event ids a consumer applied: a redelivered or republished event is dropped here.
CREATE TABLE intel_pipeline_applied (
  event_id text PRIMARY KEY,
  block_number bigint NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intel_pipeline_applied_block ON intel_pipeline_applied (block_number);

-- How far the consumer got: the last applied position (block order is checked against it).
CREATE TABLE intel_pipeline_watermark (
  chain_id bigint PRIMARY KEY,
  seq bigint NOT NULL,
  block_number bigint NOT NULL,
  log_index integer NOT NULL,
  block_time timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Poison messages with the reason; replay re-applies one and stamps resolved_at.
CREATE TABLE intel_pipeline_dlq (
  id bigserial PRIMARY KEY,
  event_id text,
  payload jsonb NOT NULL,
  code text NOT NULL,
  reason text NOT NULL,
  attempts integer NOT NULL DEFAULT 1,
  failed_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE INDEX intel_pipeline_dlq_open ON intel_pipeline_dlq (id) WHERE resolved_at IS NULL;

-- The consumer's own view of each pool (it never reads the indexer's tables).
CREATE TABLE intel_pools (
  pool text PRIMARY KEY,
  token0 text NOT NULL,
  token1 text NOT NULL,
  created_block bigint NOT NULL,
  reserve0 numeric(78, 0) NOT NULL DEFAULT 0,
  reserve1 numeric(78, 0) NOT NULL DEFAULT 0,
  -- position of the event the reserves come from: a replayed older event never rewinds them
  last_block bigint NOT NULL DEFAULT -1,
  last_log_index integer NOT NULL DEFAULT -1
);

-- Per pool and block: volume, fees (0.30% of the input side), trades and the closing reserves.
-- 24 h volume and fees sum these rows; the reserve column is the TVL history.
CREATE TABLE intel_pool_blocks (
  pool text NOT NULL,
  block_number bigint NOT NULL,
  block_time timestamptz NOT NULL,
  volume0 numeric(78, 0) NOT NULL DEFAULT 0,
  volume1 numeric(78, 0) NOT NULL DEFAULT 0,
  fees0 numeric(78, 0) NOT NULL DEFAULT 0,
  fees1 numeric(78, 0) NOT NULL DEFAULT 0,
  trades integer NOT NULL DEFAULT 0,
  reserve0 numeric(78, 0) NOT NULL,
  reserve1 numeric(78, 0) NOT NULL,
  last_log_index integer NOT NULL,
  PRIMARY KEY (pool, block_number)
);
CREATE INDEX intel_pool_blocks_time ON intel_pool_blocks (block_time);

-- Per account (the swap's recipient) the trades it received, and its counterparties (pools).
CREATE TABLE intel_account_trades (
  account text NOT NULL,
  event_id text NOT NULL,
  pool text NOT NULL,
  block_number bigint NOT NULL,
  log_index integer NOT NULL,
  tx_hash text NOT NULL,
  block_time timestamptz NOT NULL,
  token_in text NOT NULL,
  token_out text NOT NULL,
  amount_in numeric(78, 0) NOT NULL,
  amount_out numeric(78, 0) NOT NULL,
  PRIMARY KEY (account, event_id)
);
CREATE INDEX intel_account_trades_order ON intel_account_trades (account, block_number DESC, log_index DESC);
CREATE INDEX intel_account_trades_block ON intel_account_trades (block_number);

CREATE TABLE intel_account_counterparties (
  account text NOT NULL,
  counterparty text NOT NULL,
  trades integer NOT NULL,
  first_block bigint NOT NULL,
  last_block bigint NOT NULL,
  PRIMARY KEY (account, counterparty)
);

-- The chain scanner (intel/chain): every transaction and ERC-20 Transfer of the indexed blocks,
-- the raw material of MEV attribution, funding clusters and the transaction graph.
CREATE TABLE intel_scan_cursor (
  id text PRIMARY KEY,
  block_number bigint NOT NULL
);

CREATE TABLE intel_txs (
  hash text PRIMARY KEY,
  block_number bigint NOT NULL,
  tx_index integer NOT NULL,
  from_address text NOT NULL,
  to_address text,
  value numeric(78, 0) NOT NULL,
  selector text,
  block_time timestamptz NOT NULL
);
CREATE INDEX intel_txs_block ON intel_txs (block_number);
CREATE INDEX intel_txs_from ON intel_txs (from_address, block_number);
CREATE INDEX intel_txs_to ON intel_txs (to_address, block_number);

CREATE TABLE intel_transfers (
  block_number bigint NOT NULL,
  log_index integer NOT NULL,
  tx_hash text NOT NULL,
  token text NOT NULL,
  from_address text NOT NULL,
  to_address text NOT NULL,
  value numeric(78, 0) NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX intel_transfers_from ON intel_transfers (from_address, block_number);
CREATE INDEX intel_transfers_to ON intel_transfers (to_address, block_number);

-- MEV found per block: sandwiches and cyclic arbitrage, profit in the start token and the quote token.
CREATE TABLE intel_mev (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('sandwich', 'arbitrage')),
  block_number bigint NOT NULL,
  txs text[] NOT NULL,
  attacker text NOT NULL,
  victim text,
  pools text[] NOT NULL,
  profit_token text NOT NULL,
  profit numeric(78, 0) NOT NULL,
  profit_quote numeric(78, 0),
  details jsonb NOT NULL
);
CREATE INDEX intel_mev_block ON intel_mev (block_number);
CREATE INDEX intel_mev_attacker ON intel_mev (attacker);
CREATE INDEX intel_mev_victim ON intel_mev (victim);

-- Contract analyses (selectors, proxy, ERC-20 facts, honeypot simulation), refreshed by the worker.
CREATE TABLE intel_contracts (
  address text PRIMARY KEY,
  analysis jsonb NOT NULL,
  honeypot boolean,
  analyzed_at timestamptz NOT NULL DEFAULT now()
);

-- Address clusters (funding source, timing) and risk findings, recomputed by the workers.
CREATE TABLE intel_clusters (
  address text PRIMARY KEY,
  cluster_id text NOT NULL,
  evidence jsonb NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intel_clusters_id ON intel_clusters (cluster_id);

CREATE TABLE intel_risk_findings (
  address text NOT NULL,
  code text NOT NULL,
  weight integer NOT NULL,
  detail text NOT NULL,
  evidence text[] NOT NULL,
  detected_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (address, code)
);
