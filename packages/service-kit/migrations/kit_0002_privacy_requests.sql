-- GDPR data-subject requests: access (Art. 15), portability (Art. 20), erasure (Art. 17).
-- Lifecycle requested -> verified -> done (or rejected); 'processing' marks a request being
-- fulfilled so two workers never fulfil it twice. Every transition is also in audit_log.
create table privacy_requests (
  id uuid primary key,
  app_id text,
  subject_id text not null,
  kind text not null check (kind in ('access', 'portability', 'erasure')),
  status text not null default 'requested'
    check (status in ('requested', 'verified', 'processing', 'done', 'rejected')),
  format text not null default 'json' check (format in ('json', 'csv')),
  requested_by text not null,
  requested_at timestamptz not null default now(),
  verified_by text,
  verified_at timestamptz,
  completed_at timestamptz,
  -- What was done (record counts per exporter or eraser), never the personal data itself.
  result jsonb,
  error text,
  updated_at timestamptz not null default now()
);

create index privacy_requests_subject on privacy_requests (subject_id, requested_at desc);
create index privacy_requests_status on privacy_requests (status, requested_at);
