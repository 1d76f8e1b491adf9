-- Who runs the indexer. Every DEX process that may index (DEX_INDEXER=true) competes for one row
-- per indexed deployment (the cursor's id); the holder renews it well within its expiry, and when
-- it stops or dies another process takes it over once `expires_at` passes. Times are the
-- database's (now()), so the processes' clocks do not matter.
CREATE TABLE indexer_lease (
  id text PRIMARY KEY,
  holder text NOT NULL,
  acquired_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
