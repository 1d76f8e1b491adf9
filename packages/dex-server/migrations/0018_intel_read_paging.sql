-- Paged intelligence reads (intel latency): /v1/intel/mev pages a block range in (block_number, id)
-- order from a cursor, read straight off this index (it also serves the scanner's rollback by
-- block, so it replaces the block-only index); /v1/intel/pipeline/accounts/{address} lists an
-- account's counterparties busiest first, read off the second.
CREATE INDEX intel_mev_block_id ON intel_mev (block_number, id);
DROP INDEX intel_mev_block;
CREATE INDEX intel_account_counterparties_busiest ON intel_account_counterparties (account, trades DESC, counterparty);
