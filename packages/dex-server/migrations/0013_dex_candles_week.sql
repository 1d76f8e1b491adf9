-- Weekly candles (issue 15), buckets starting Mondays 00:00 UTC. The indexer writes them from here
-- on; this folds the daily candles already stored into weeks, so history starts complete.
INSERT INTO candles (pool, interval, bucket_start, open, high, low, close, volume0, volume1, fees0, fees1, trades)
SELECT pool, '1w', date_trunc('week', bucket_start, 'UTC') AS week,
  (array_agg(open ORDER BY bucket_start))[1], max(high), min(low),
  (array_agg(close ORDER BY bucket_start DESC))[1],
  sum(volume0), sum(volume1), sum(fees0), sum(fees1), sum(trades)
FROM candles
WHERE interval = '1d'
GROUP BY pool, week
ON CONFLICT (pool, interval, bucket_start) DO NOTHING;
