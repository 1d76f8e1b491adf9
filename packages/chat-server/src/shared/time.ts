/** timestamptz values arrive as Date (pg) or string (PGlite in some paths); JSON shows ISO-8601 UTC. */
export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString()
}

export function isoOrNull(value: Date | string | null | undefined): string | null {
  return value == null ? null : iso(value)
}
