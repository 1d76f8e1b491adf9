-- Pools that existed before INDEXER_START_BLOCK (issue 15): the indexer reads them from the
-- factory's allPairs at the block before the start, with their reserves and LP supply there.
-- A rollback falls back to this snapshot for a pool whose Syncs and LP transfers above the fork
-- are gone. The transaction that created such a pool was never read, so its created_tx is null.
CREATE TABLE pool_snapshots (
  pool text PRIMARY KEY REFERENCES pools (address) ON DELETE CASCADE,
  block_number bigint NOT NULL,
  reserve0 numeric(78, 0) NOT NULL,
  reserve1 numeric(78, 0) NOT NULL,
  total_supply numeric(78, 0) NOT NULL
);

ALTER TABLE pools ALTER COLUMN created_tx DROP NOT NULL;
