-- A swap paid in native ETH looks like a WETH swap in the pair's logs: the router wraps the ETH
-- first. The indexer records the wei each swap's transaction sent (tx.value, from the same
-- eth_getTransactionByHash answer as tx_from), so account history can say the input was ETH.
-- Rows indexed before this migration keep null (re-index from INDEXER_START_BLOCK to fill them).
ALTER TABLE swaps ADD COLUMN tx_value numeric(78, 0);
