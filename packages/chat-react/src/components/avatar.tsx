/** A round badge with the user's initials, coloured by a hash of their id so each person keeps a colour. */
export function Avatar({
  userId,
  name,
  size = 36,
}: {
  userId: string
  name?: string | undefined
  size?: number
}) {
  const label = name ?? userId
  return (
    <span
      className="csdk-avatar"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * 0.42, background: avatarColour(userId) }}
    >
      {initials(label)}
    </span>
  )
}

export function initials(name: string): string {
  const words = name
    .trim()
    .split(/[\s._-]+/)
    .filter(Boolean)
  const letters = words.length > 1 ? (words[0]![0] ?? '') + (words[1]![0] ?? '') : (words[0]?.[0] ?? '?')
  return letters.toUpperCase()
}

/** Hues chosen for white text at 4.5:1 or better. */
const COLOURS = ['#4f46e5', '#0f766e', '#b45309', '#be123c', '#7c3aed', '#1d4ed8', '#15803d', '#a21caf']

export function avatarColour(userId: string): string {
  let hash = 0
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) | 0
  return COLOURS[Math.abs(hash) % COLOURS.length]!
}
