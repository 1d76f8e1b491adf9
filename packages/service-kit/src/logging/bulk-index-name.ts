const TIMESTAMP = /"@timestamp":"(\d{4})-(\d{2})-(\d{2})T/

/** Daily index `{service}-logs-YYYY.MM.DD` from the line's own @timestamp (UTC), else from now. */
export function dailyIndexName(service: string, line: string, now: Date = new Date()): string {
  const match = TIMESTAMP.exec(line)
  const day = match
    ? `${match[1]}.${match[2]}.${match[3]}`
    : `${now.getUTCFullYear()}.${String(now.getUTCMonth() + 1).padStart(2, '0')}.${String(now.getUTCDate()).padStart(2, '0')}`
  return `${service.toLowerCase()}-logs-${day}`
}
