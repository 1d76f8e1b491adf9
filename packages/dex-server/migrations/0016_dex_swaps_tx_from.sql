-- Account history finds a swap by who traded, not only by the Swap event's `to`: a swap paid out
-- in native ETH names the router as `to` (it unwraps WETH), and the earlier hops of a multi-hop
-- swap name the next pair. The indexer records each swap's transaction sender (tx.from); rows
-- indexed before this migration keep null (re-index from INDEXER_START_BLOCK to fill them).
ALTER TABLE swaps ADD COLUMN tx_from text;

-- /v1/wallet/:address/history reads an account's newest swaps by recipient and by sender, each
-- side through its own index in block order (before: a scan of every swap for the recipient).
CREATE INDEX swaps_recipient_order ON swaps (recipient, block_number DESC, log_index DESC);
CREATE INDEX swaps_tx_from_order ON swaps (tx_from, block_number DESC, log_index DESC)
  WHERE tx_from IS NOT NULL;
