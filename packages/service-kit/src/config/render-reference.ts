import type { TObject, TSchema } from '@sinclair/typebox'
import { isSecret } from './secret.js'

export interface ConfigReferenceSource {
  /** Section heading, e.g. "Base (every service)" or "ChatSDK server". */
  title: string
  schema: TObject
}

/**
 * Markdown reference of the variables of each source. A variable an earlier source already lists
 * with the same definition (products spread the base schema into theirs) is listed once, under the
 * first; one with its own definition (each product's PORT) is listed under each.
 */
export function renderConfigReference(sources: ConfigReferenceSource[]): string {
  const seen = new Map<string, string>()
  const sections: string[] = []
  for (const source of sources) {
    const required = new Set(source.schema.required ?? [])
    const rows: string[][] = []
    for (const [name, field] of Object.entries(source.schema.properties) as [string, TSchema][]) {
      const definition = JSON.stringify(field)
      if (seen.get(name) === definition) continue
      seen.set(name, definition)
      const needed = required.has(name) && field.default === undefined ? 'yes' : 'no'
      rows.push([`\`${name}\``, typeName(field), defaultText(field), needed, cell(field.description ?? '')])
    }
    if (rows.length === 0) continue
    const header = ['variable', 'type', 'default', 'required', 'description']
    sections.push([`### ${source.title}`, '', markdownTable(header, rows)].join('\n'))
  }
  return sections.join('\n\n')
}

function typeName(field: TSchema): string {
  const base = isSecret(field) ? 'secret ' : ''
  if (Array.isArray(field.anyOf) && field.anyOf.every((option: TSchema) => option.const !== undefined)) {
    return base + field.anyOf.map((option: TSchema) => `\`${option.const}\``).join(' \\| ')
  }
  if (field.type === 'array') return `${base}list of ${field.items?.type ?? 'string'}`
  return base + String(field.type ?? 'string')
}

function defaultText(field: TSchema): string {
  if (field.default === undefined) return ''
  if (isSecret(field)) return '(development only)'
  const value = Array.isArray(field.default) ? field.default.join(',') : String(field.default)
  return value === '' ? '(empty)' : `\`${value}\``
}

/**
 * A table laid out the way the repo's formatter (biome) lays it out, columns padded to their
 * widest cell, so the generated README section passes `npm run lint` unchanged.
 */
function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: string[]) =>
    `| ${cells.map((text, column) => text.padEnd(widths[column] ?? 0)).join(' | ')} |`
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}
