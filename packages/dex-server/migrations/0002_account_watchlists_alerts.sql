-- Off-chain data of signed-in wallets (Sign-In with Ethereum). The DEX is single-tenant, so rows are
-- keyed by the lower-cased wallet address alone. GDPR export and erasure go through the kit privacy
-- registry (src/account/privacy.ts); nothing here is needed to trade.

CREATE TABLE account_watchlist (
  address text NOT NULL,
  token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (address, token)
);

-- "Tell me when 1 base token is worth more (above) / less (below) than `price` quote tokens."
-- Prices are whole units (decimals applied), as exact decimals.
CREATE TABLE account_price_alerts (
  id uuid PRIMARY KEY,
  address text NOT NULL,
  base_token text NOT NULL,
  quote_token text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('above', 'below')),
  price numeric NOT NULL CHECK (price > 0),
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  triggered_at timestamptz,
  triggered_price numeric
);
CREATE INDEX account_price_alerts_owner ON account_price_alerts (address, created_at);
CREATE INDEX account_price_alerts_open ON account_price_alerts (base_token, quote_token) WHERE triggered_at IS NULL;
