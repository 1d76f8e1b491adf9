-- ChatSDK core schema. Every table carries app_id and every key starts with it, so a query
-- that forgets the tenant cannot use an index and shows up in review.

-- pg_trgm (for messages_trgm) is created in public by the kit when the schema is prepared.

CREATE TABLE apps (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Server-side API keys: only the SHA-256 of the secret is stored.
CREATE TABLE api_keys (
  app_id uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL,
  prefix text NOT NULL,
  secret_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (app_id, id)
);
CREATE UNIQUE INDEX api_keys_prefix ON api_keys (prefix);

-- Per-app HMAC keys that sign user tokens; kid = id. Retired keys still verify until dropped.
CREATE TABLE signing_keys (
  app_id uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  id uuid NOT NULL,
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz,
  PRIMARY KEY (app_id, id)
);
CREATE UNIQUE INDEX signing_keys_id ON signing_keys (id);

CREATE TABLE users (
  app_id uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  id text NOT NULL,
  name text NOT NULL,
  image text,
  custom jsonb NOT NULL DEFAULT '{}'::jsonb,
  role text NOT NULL DEFAULT 'user',
  -- user tokens carry this number; bumping it revokes every token of the user at once
  token_generation integer NOT NULL DEFAULT 0,
  anonymized_at timestamptz,
  last_active_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, id)
);
CREATE INDEX users_active ON users (app_id, last_active_at);

-- One login session per refresh token family; access tokens carry its id (sid).
CREATE TABLE sessions (
  app_id uuid NOT NULL,
  id uuid NOT NULL,
  user_id text NOT NULL,
  refresh_hash text NOT NULL,
  -- the hash before the last rotation: seeing it again means a stolen copy is in use
  previous_refresh_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  refreshed_at timestamptz,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  PRIMARY KEY (app_id, id),
  FOREIGN KEY (app_id, user_id) REFERENCES users(app_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (app_id, user_id);

CREATE TABLE channels (
  app_id uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  id text NOT NULL,
  type text NOT NULL CHECK (type IN ('messaging', 'team', 'livestream', 'direct', 'group')),
  name text,
  image text,
  custom jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by text,
  -- sorted member pair for direct channels, so "find or create" is one unique lookup
  direct_key text,
  last_seq bigint NOT NULL DEFAULT 0,
  slow_mode_seconds integer NOT NULL DEFAULT 0,
  last_message_at timestamptz,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, id)
);
CREATE UNIQUE INDEX channels_direct ON channels (app_id, direct_key) WHERE direct_key IS NOT NULL;

CREATE TABLE members (
  app_id uuid NOT NULL,
  channel_id text NOT NULL,
  user_id text NOT NULL,
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'moderator', 'member')),
  muted boolean NOT NULL DEFAULT false,
  last_read_seq bigint NOT NULL DEFAULT 0,
  last_read_at timestamptz,
  last_sent_at timestamptz,
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, channel_id, user_id),
  FOREIGN KEY (app_id, channel_id) REFERENCES channels(app_id, id) ON DELETE CASCADE
);
CREATE INDEX members_user ON members (app_id, user_id);

CREATE TABLE messages (
  app_id uuid NOT NULL,
  id uuid NOT NULL,
  channel_id text NOT NULL,
  seq bigint NOT NULL,
  user_id text,
  text text NOT NULL DEFAULT '',
  type text NOT NULL DEFAULT 'regular',
  parent_id uuid,
  quoted_id uuid,
  mentions text[] NOT NULL DEFAULT '{}',
  attachments jsonb NOT NULL DEFAULT '[]'::jsonb,
  custom jsonb NOT NULL DEFAULT '{}'::jsonb,
  client_message_id text,
  reply_count integer NOT NULL DEFAULT 0,
  thread_participants text[] NOT NULL DEFAULT '{}',
  pinned_at timestamptz,
  pinned_by text,
  edited_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
  PRIMARY KEY (app_id, id),
  FOREIGN KEY (app_id, channel_id) REFERENCES channels(app_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX messages_channel_seq ON messages (app_id, channel_id, seq);
CREATE UNIQUE INDEX messages_client_id ON messages (app_id, user_id, client_message_id)
  WHERE client_message_id IS NOT NULL;
CREATE INDEX messages_parent ON messages (app_id, parent_id, seq) WHERE parent_id IS NOT NULL;
CREATE INDEX messages_mentions ON messages USING gin (mentions);
CREATE INDEX messages_search ON messages USING gin (search);
CREATE INDEX messages_trgm ON messages USING gin (text gin_trgm_ops);
CREATE INDEX messages_created ON messages (app_id, created_at);

CREATE TABLE message_edits (
  app_id uuid NOT NULL,
  id uuid NOT NULL,
  message_id uuid NOT NULL,
  previous_text text NOT NULL,
  edited_by text,
  edited_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, id),
  FOREIGN KEY (app_id, message_id) REFERENCES messages(app_id, id) ON DELETE CASCADE
);
CREATE INDEX message_edits_message ON message_edits (app_id, message_id);

CREATE TABLE reactions (
  app_id uuid NOT NULL,
  message_id uuid NOT NULL,
  user_id text NOT NULL,
  type text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, message_id, user_id, type),
  FOREIGN KEY (app_id, message_id) REFERENCES messages(app_id, id) ON DELETE CASCADE
);

CREATE TABLE polls (
  app_id uuid NOT NULL,
  id uuid NOT NULL,
  message_id uuid NOT NULL,
  channel_id text NOT NULL,
  question text NOT NULL,
  multiple boolean NOT NULL DEFAULT false,
  anonymous boolean NOT NULL DEFAULT false,
  created_by text,
  closed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, id),
  FOREIGN KEY (app_id, message_id) REFERENCES messages(app_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX polls_message ON polls (app_id, message_id);

CREATE TABLE poll_options (
  app_id uuid NOT NULL,
  poll_id uuid NOT NULL,
  id uuid NOT NULL,
  position integer NOT NULL,
  text text NOT NULL,
  PRIMARY KEY (app_id, id),
  FOREIGN KEY (app_id, poll_id) REFERENCES polls(app_id, id) ON DELETE CASCADE
);

-- Counts are always count(*) over this table, so they are exact under any concurrency.
CREATE TABLE poll_votes (
  app_id uuid NOT NULL,
  poll_id uuid NOT NULL,
  option_id uuid NOT NULL,
  user_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, poll_id, option_id, user_id),
  FOREIGN KEY (app_id, poll_id) REFERENCES polls(app_id, id) ON DELETE CASCADE
);
CREATE INDEX poll_votes_user ON poll_votes (app_id, user_id);

CREATE TABLE uploads (
  app_id uuid NOT NULL,
  id uuid NOT NULL,
  channel_id text NOT NULL,
  user_id text,
  storage_key text NOT NULL,
  file_name text NOT NULL,
  content_type text NOT NULL,
  size bigint,
  width integer,
  height integer,
  thumb_key text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, id),
  FOREIGN KEY (app_id, channel_id) REFERENCES channels(app_id, id) ON DELETE CASCADE
);
CREATE INDEX uploads_user ON uploads (app_id, user_id);

CREATE TABLE blocks (
  app_id uuid NOT NULL,
  blocker_id text NOT NULL,
  blocked_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, blocker_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks (app_id, blocked_id);

-- channel_id '' means app-wide, so one unique key covers both scopes.
CREATE TABLE bans (
  app_id uuid NOT NULL,
  user_id text NOT NULL,
  channel_id text NOT NULL DEFAULT '',
  kind text NOT NULL DEFAULT 'ban' CHECK (kind IN ('ban', 'mute')),
  reason text,
  created_by text,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, user_id, channel_id, kind)
);

CREATE TABLE flags (
  app_id uuid NOT NULL,
  id uuid NOT NULL,
  message_id uuid NOT NULL,
  channel_id text NOT NULL,
  reporter_id text,
  reason text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
  action text,
  reviewed_by text,
  reviewed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, id)
);
CREATE UNIQUE INDEX flags_once ON flags (app_id, message_id, reporter_id);
CREATE INDEX flags_queue ON flags (app_id, status, created_at);

-- THE OUTBOX (contract with the realtime gateway; keep the shape exact).
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  app_id uuid NOT NULL,
  channel text NOT NULL,
  type text NOT NULL,
  payload jsonb NOT NULL,
  seq bigint NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz NULL
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_app_created ON outbox (app_id, created_at);

CREATE TABLE webhook_endpoints (
  app_id uuid NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  id uuid NOT NULL,
  url text NOT NULL,
  secret text NOT NULL,
  event_types text[] NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL DEFAULT true,
  consecutive_failures integer NOT NULL DEFAULT 0,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, id)
);

CREATE TABLE webhook_deliveries (
  app_id uuid NOT NULL,
  id uuid NOT NULL,
  endpoint_id uuid NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status_code integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app_id, id),
  FOREIGN KEY (app_id, endpoint_id) REFERENCES webhook_endpoints(app_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (endpoint_id, event_id);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (app_id, endpoint_id, created_at);

-- The webhook fan-out reads the outbox through its own cursor, independent of published_at.
CREATE TABLE outbox_cursors (
  name text PRIMARY KEY,
  last_id bigint NOT NULL DEFAULT 0
);
