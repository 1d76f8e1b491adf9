-- Soba DEX indexer state. Every row derived from chain logs carries its block number, so a
-- reorg rolls back with `DELETE ... WHERE block_number > fork`.

-- One cursor per indexed deployment: the last block fully written, with its hash.
CREATE TABLE indexer_cursor (
  id text PRIMARY KEY,
  chain_id bigint NOT NULL,
  factory text NOT NULL,
  block_number bigint NOT NULL,
  block_hash text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Headers of indexed blocks that carried logs, plus each range's last block: the hashes the
-- reorg check walks back through to find the fork point.
CREATE TABLE blocks (
  number bigint PRIMARY KEY,
  hash text NOT NULL,
  parent_hash text NOT NULL,
  timestamp timestamptz NOT NULL
);

-- Token metadata, read once. Fields are null when the token does not answer sensibly.
CREATE TABLE tokens (
  address text PRIMARY KEY,
  symbol text,
  name text,
  decimals integer CHECK (decimals BETWEEN 0 AND 77),
  metadata_ok boolean NOT NULL
);

CREATE TABLE pools (
  address text PRIMARY KEY,
  token0 text NOT NULL REFERENCES tokens (address),
  token1 text NOT NULL REFERENCES tokens (address),
  factory text NOT NULL,
  created_block bigint NOT NULL,
  created_tx text NOT NULL,
  reserve0 numeric(78, 0) NOT NULL DEFAULT 0,
  reserve1 numeric(78, 0) NOT NULL DEFAULT 0,
  total_supply numeric(78, 0) NOT NULL DEFAULT 0,
  updated_block bigint NOT NULL
);
CREATE INDEX pools_token0 ON pools (token0);
CREATE INDEX pools_token1 ON pools (token1);

CREATE TABLE swaps (
  block_number bigint NOT NULL,
  log_index integer NOT NULL,
  pool text NOT NULL,
  tx_hash text NOT NULL,
  block_time timestamptz NOT NULL,
  sender text NOT NULL,
  recipient text NOT NULL,
  amount0_in numeric(78, 0) NOT NULL,
  amount1_in numeric(78, 0) NOT NULL,
  amount0_out numeric(78, 0) NOT NULL,
  amount1_out numeric(78, 0) NOT NULL,
  -- reserves right after the swap (from the Sync the pair emits just before Swap)
  reserve0 numeric(78, 0) NOT NULL,
  reserve1 numeric(78, 0) NOT NULL,
  -- token1 per token0 in whole units after the swap, 18 decimals: candles are built from it
  price numeric NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX swaps_pool_order ON swaps (pool, block_number DESC, log_index DESC);
CREATE INDEX swaps_time ON swaps (block_time);

-- Reserve checkpoints: each pool's last Sync in a block (rollbacks land on block boundaries).
CREATE TABLE syncs (
  block_number bigint NOT NULL,
  log_index integer NOT NULL,
  pool text NOT NULL,
  reserve0 numeric(78, 0) NOT NULL,
  reserve1 numeric(78, 0) NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX syncs_pool_order ON syncs (pool, block_number DESC, log_index DESC);

CREATE TABLE liquidity_events (
  block_number bigint NOT NULL,
  log_index integer NOT NULL,
  pool text NOT NULL,
  tx_hash text NOT NULL,
  block_time timestamptz NOT NULL,
  kind text NOT NULL CHECK (kind IN ('mint', 'burn')),
  sender text NOT NULL,
  recipient text,
  amount0 numeric(78, 0) NOT NULL,
  amount1 numeric(78, 0) NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX liquidity_events_pool ON liquidity_events (pool, block_number DESC);

CREATE TABLE lp_transfers (
  block_number bigint NOT NULL,
  log_index integer NOT NULL,
  pool text NOT NULL,
  tx_hash text NOT NULL,
  from_address text NOT NULL,
  to_address text NOT NULL,
  value numeric(78, 0) NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX lp_transfers_pool ON lp_transfers (pool);
CREATE INDEX lp_transfers_to ON lp_transfers (to_address);
CREATE INDEX lp_transfers_from ON lp_transfers (from_address);

-- OHLCV per pool and interval. Price = token1 per token0 in whole units, after each swap.
CREATE TABLE candles (
  pool text NOT NULL,
  interval text NOT NULL,
  bucket_start timestamptz NOT NULL,
  open numeric NOT NULL,
  high numeric NOT NULL,
  low numeric NOT NULL,
  close numeric NOT NULL,
  volume0 numeric(78, 0) NOT NULL,
  volume1 numeric(78, 0) NOT NULL,
  fees0 numeric(78, 0) NOT NULL,
  fees1 numeric(78, 0) NOT NULL,
  trades integer NOT NULL,
  PRIMARY KEY (pool, interval, bucket_start)
);
CREATE INDEX candles_time ON candles (interval, bucket_start);
