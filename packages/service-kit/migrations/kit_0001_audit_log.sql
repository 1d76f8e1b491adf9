-- Append-only record of security-relevant actions: who, what, when, from where, to what.
-- Names carry a kit_ prefix so they never collide with a product's own migration names when a
-- product applies the kit migrations in its schema.
create table audit_log (
  id uuid primary key,
  occurred_at timestamptz not null default now(),
  -- Tenant of the action; null for platform-level actions.
  app_id text,
  actor_type text not null,
  actor_id text,
  action text not null,
  target_type text,
  target_id text,
  outcome text not null default 'success' check (outcome in ('success', 'failure', 'denied')),
  -- text, not inet: a malformed address from a proxy must not lose the audit record.
  ip text,
  user_agent text,
  request_id text,
  metadata jsonb not null default '{}'::jsonb
);

create index audit_log_actor on audit_log (actor_id, occurred_at desc);
create index audit_log_target on audit_log (target_type, target_id, occurred_at desc);
create index audit_log_app_time on audit_log (app_id, occurred_at desc);
create index audit_log_time on audit_log (occurred_at desc);

-- Rows never change. Deleting is refused too, except for the retention purge, which sets
-- platform.audit_retention_purge for its own transaction only (set_config(..., true)).
create function audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('platform.audit_retention_purge', true) = 'on' then
    return old;
  end if;
  raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_append_only
  before update or delete on audit_log
  for each row execute function audit_log_refuse_change();

create function audit_log_refuse_truncate() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_log is append-only: TRUNCATE refused' using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_no_truncate
  before truncate on audit_log
  for each statement execute function audit_log_refuse_truncate();
