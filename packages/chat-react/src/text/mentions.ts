/**
 * Mentions in the message box: `@` followed by a user id. The autocomplete needs the partial
 * mention under the caret; sending needs the ids mentioned; rendering needs the text split into
 * plain runs and mentions. User ids follow the server's external id rule (letters, digits, _ - .).
 */
const MENTION = /(^|[^\w@])@([A-Za-z0-9_.-]{1,64})/g
const PARTIAL_BEFORE_CARET = /(?:^|[^\w@])@([A-Za-z0-9_.-]{0,64})$/

export interface MentionQuery {
  /** What was typed after the `@` so far (may be empty). */
  query: string
  /** Index of the `@` in the text. */
  start: number
}

/** The partial mention the caret is in, if any: "hi @al|" gives { query: 'al', start: 3 }. */
export function mentionAtCaret(text: string, caret: number): MentionQuery | null {
  const match = PARTIAL_BEFORE_CARET.exec(text.slice(0, caret))
  if (!match) return null
  const query = match[1] ?? ''
  return { query, start: caret - query.length - 1 }
}

/** Replaces the partial mention with the chosen user id and a space; returns the new caret too. */
export function completeMention(
  text: string,
  mention: MentionQuery,
  caret: number,
  userId: string,
): { text: string; caret: number } {
  const inserted = `@${userId} `
  const after = text.slice(caret).replace(/^[A-Za-z0-9_.-]*\s?/, '')
  return { text: text.slice(0, mention.start) + inserted + after, caret: mention.start + inserted.length }
}

/** The ids mentioned in a text, each once, limited to users the caller knows exist. */
export function mentionedIds(text: string, known: (id: string) => boolean): string[] {
  const ids = new Set<string>()
  for (const match of text.matchAll(MENTION)) if (match[2] && known(match[2])) ids.add(match[2])
  return [...ids]
}

export type TextRun = { kind: 'text'; text: string } | { kind: 'mention'; userId: string }

/** The text cut into plain runs and the mentions the server recorded, for rendering. */
export function splitMentions(text: string, mentions: readonly string[]): TextRun[] {
  if (mentions.length === 0) return [{ kind: 'text', text }]
  const runs: TextRun[] = []
  let from = 0
  for (const match of text.matchAll(MENTION)) {
    const userId = match[2]!
    if (!mentions.includes(userId)) continue
    const at = match.index + (match[1]?.length ?? 0)
    if (at > from) runs.push({ kind: 'text', text: text.slice(from, at) })
    runs.push({ kind: 'mention', userId })
    from = at + userId.length + 1
  }
  if (from < text.length) runs.push({ kind: 'text', text: text.slice(from) })
  return runs
}
