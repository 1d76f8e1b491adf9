/** Shortest secret accepted in production: 16 characters (~96 bits when random). */
export const MIN_SECRET_LENGTH = 16

const PLACEHOLDER_WORDS = [
  'changeme',
  'change-me',
  'change_me',
  'placeholder',
  'replace_with',
  'replace-with',
  'replaceme',
  'your_',
  'your-',
  'xxxx',
  'example',
  'secret',
  'password',
  'todo',
]

/** Why a secret value looks like a placeholder, or undefined when it looks real. */
export function placeholderReason(value: string): string | undefined {
  const lower = value.toLowerCase()
  if (/^dev[-_]/.test(lower)) return 'is a development value (dev-…)'
  const word = PLACEHOLDER_WORDS.find((candidate) => lower.includes(candidate))
  if (word) return `looks like a placeholder (contains "${word}")`
  if (value.length < MIN_SECRET_LENGTH)
    return `is too short (${value.length} < ${MIN_SECRET_LENGTH} characters)`
  return undefined
}
