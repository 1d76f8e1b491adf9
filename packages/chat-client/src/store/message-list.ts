import type { Message } from '../types.js'

/**
 * Merges messages into a list kept in `seq` order, one entry per id. A copy that is not older
 * (by `updatedAt`) than the one held replaces it, so an edit that arrives before or after the
 * page it belongs to ends the same. Returns the same array when nothing changed, so snapshots
 * stay referentially stable for UI bindings (React's useSyncExternalStore).
 */
export function mergeMessages(list: readonly Message[], incoming: readonly Message[]): readonly Message[] {
  if (incoming.length === 0) return list
  const byId = new Map(list.map((m) => [m.id, m]))
  let changed = false
  for (const message of incoming) {
    const held = byId.get(message.id)
    if (held && (held === message || held.updatedAt > message.updatedAt || sameMessage(held, message)))
      continue
    byId.set(message.id, message)
    changed = true
  }
  if (!changed) return list
  return [...byId.values()].sort((a, b) => a.seq - b.seq)
}

/** Applies `change` to the message with this id; the same array when it is not there. */
export function updateMessage(
  list: readonly Message[],
  id: string,
  change: (message: Message) => Message | undefined,
): readonly Message[] {
  const index = list.findIndex((m) => m.id === id)
  if (index < 0) return list
  const next = change(list[index]!)
  if (next === list[index]) return list
  const copy = list.slice()
  if (next) copy[index] = next
  else copy.splice(index, 1)
  return copy
}

function sameMessage(a: Message, b: Message): boolean {
  return (
    a.updatedAt === b.updatedAt &&
    a.replyCount === b.replyCount &&
    JSON.stringify(a.reactionCounts) === JSON.stringify(b.reactionCounts) &&
    a.deletedAt === b.deletedAt
  )
}
