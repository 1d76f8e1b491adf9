/**
 * AMQP topic matching for the in-process driver, so patterns behave exactly as on RabbitMQ:
 * words split on '.', `*` matches one word, `#` matches zero or more words.
 */
export function topicMatches(pattern: string, topic: string): boolean {
  return match(pattern.split('.'), 0, topic.split('.'), 0)
}

function match(p: string[], pi: number, t: string[], ti: number): boolean {
  if (pi === p.length) return ti === t.length
  const word = p[pi]
  if (word === '#') {
    for (let skip = ti; skip <= t.length; skip++) if (match(p, pi + 1, t, skip)) return true
    return false
  }
  if (ti === t.length) return false
  return (word === '*' || word === t[ti]) && match(p, pi + 1, t, ti + 1)
}
