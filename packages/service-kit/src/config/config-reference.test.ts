import { readFile } from 'node:fs/promises'
import { Type } from '@sinclair/typebox'
import { describe, expect, it } from 'vitest'
import { renderConfigReference, secret } from './index.js'
import { readSection, replaceSection } from './readme-section.js'
import { loadReferenceSources, readmePath } from './reference-loader.js'

describe('config reference', () => {
  it('in the README matches the registered schemas (run `npm run config:reference -w @platform/service-kit`)', async () => {
    const readme = await readFile(readmePath, 'utf8')
    expect(readSection(readme)).toBe(renderConfigReference(await loadReferenceSources()))
  })

  it('lists a shared variable once, a redefined one per source, marks secrets and hides their defaults', () => {
    const base = Type.Object({ LOG_LEVEL: Type.String({ default: 'info', description: 'level' }) })
    const product = Type.Object({
      ...base.properties,
      API_KEY: secret(Type.String({ default: 'dev-key' })),
      PORT: Type.Integer(),
    })
    const other = Type.Object({ ...base.properties, PORT: Type.Integer({ default: 3000 }) })
    const markdown = renderConfigReference([
      { title: 'Base', schema: base },
      { title: 'Product', schema: product },
      { title: 'Other', schema: other },
    ])
    // compare cell contents; the padding that aligns the columns is checked by the README test + lint
    const rows = markdown.split('\n').map((line) => line.split('|').map((text) => text.trim()))
    const row = (...cells: string[]) => rows.some((r) => cells.every((text, i) => r[i + 1] === text))
    expect(markdown.match(/`LOG_LEVEL`/g)).toHaveLength(1)
    expect(row('`PORT`', 'integer', '`3000`', 'no')).toBe(true)
    expect(row('`API_KEY`', 'secret string', '(development only)', 'no')).toBe(true)
    expect(row('`PORT`', 'integer', '', 'yes')).toBe(true)
    expect(markdown).not.toContain('dev-key')
  })

  it('replaces only the text between the markers', () => {
    const text = 'intro\n<!-- config-reference:start -->\nold\n<!-- config-reference:end -->\noutro'
    const updated = replaceSection(text, 'new')
    expect(readSection(updated)).toBe('new')
    expect(updated.startsWith('intro\n')).toBe(true)
    expect(updated.endsWith('\noutro')).toBe(true)
  })
})
