import { useDisplayName } from '../hooks/use-display-name.js'
import { useReadReceipts } from '../hooks/use-read-receipts.js'

/** "Seen by bob and carol" under your latest message: the members whose read marker passed it. */
export function ReadReceipts({ channelId, seq }: { channelId: string; seq: number }) {
  const readers = useReadReceipts(channelId, seq)
  const nameOf = useDisplayName()
  const names = readers.map(nameOf)
  if (names.length === 0) return null
  return <p className="csdk-receipts">{`Seen by ${listNames(names)}`}</p>
}

export function listNames(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ')
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]}`
  return `${names[0]}, ${names[1]} and ${names.length - 2} others`
}
