-- GET /v1/intel/pipeline/pools/{address} sums a pool's last 24 hours and reads its hourly TVL
-- history by block_time: without this index each request read every block row the pool ever had.
CREATE INDEX intel_pool_blocks_pool_time ON intel_pool_blocks (pool, block_time);
