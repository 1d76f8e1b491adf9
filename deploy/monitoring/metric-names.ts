/**
 * The metric names a PromQL expression selects. A panel written `(… wrong_name …) or vector(0)`
 * returns data whatever the name, so the scrape test also checks that every name it reads is
 * exported by something Prometheus scrapes.
 */

/** Words that look like names in PromQL but are functions' keywords, operators or modifiers. */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
])

export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\[[^\]]*\]/g, '') // range and subquery durations
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '') // label lists
  const names = new Set<string>()
  for (const match of bare.matchAll(/(?<![\w:.])[A-Za-z_:][\w:]*/g)) {
    const word = match[0]
    const after = bare.slice(match.index + word.length).trimStart()
    if (after.startsWith('(') || KEYWORDS.has(word.toLowerCase())) continue
    names.add(word)
  }
  return [...names]
}
