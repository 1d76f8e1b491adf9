import type { ExportFile, ExportFormat, ExportRow, SubjectExport } from './types.js'

/** Art. 20 asks for a structured, commonly used, machine-readable format: JSON, or CSV per section. */
export function exportFiles(data: SubjectExport, format: ExportFormat): ExportFile[] {
  if (format === 'json') {
    return [
      {
        name: 'export.json',
        contentType: 'application/json',
        content: JSON.stringify(data, bigintAsString, 2),
      },
    ]
  }
  return Object.entries(data.sections).map(([section, rows]) => ({
    name: `${section}.csv`,
    contentType: 'text/csv; charset=utf-8',
    content: toCsv(rows),
  }))
}

/**
 * RFC 4180 CSV. Columns are the union of the rows' keys in first-seen order; nested values are
 * written as JSON. Text starting with = + - @ gets a leading apostrophe so a spreadsheet opening
 * the file does not run it as a formula (OWASP CSV injection).
 */
export function toCsv(rows: ExportRow[]): string {
  const columns: string[] = []
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key)
  const lines = [columns.map(cell).join(',')]
  for (const row of rows) lines.push(columns.map((column) => cell(row[column])).join(','))
  return `${lines.join('\r\n')}\r\n`
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return ''
  let text: string
  if (typeof value === 'string') text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  else if (value instanceof Date) text = value.toISOString()
  else if (typeof value === 'object') text = JSON.stringify(value, bigintAsString)
  else text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Token amounts are bigint in code and decimal strings in JSON (DESIGN.md); JSON.stringify would throw. */
function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value
}
