export const SECTION_START = '<!-- config-reference:start -->'
export const SECTION_END = '<!-- config-reference:end -->'

function bounds(text: string): [number, number] {
  const start = text.indexOf(SECTION_START)
  const end = text.indexOf(SECTION_END)
  if (start < 0 || end < start) throw new Error(`README needs ${SECTION_START} … ${SECTION_END} markers`)
  return [start + SECTION_START.length, end]
}

/** The text between the markers, trimmed. */
export function readSection(text: string): string {
  const [start, end] = bounds(text)
  return text.slice(start, end).trim()
}

export function replaceSection(text: string, content: string): string {
  const [start, end] = bounds(text)
  return `${text.slice(0, start)}\n${content}\n${text.slice(end)}`
}
