import { describe, expect, it } from 'vitest'
import { exportFiles, toCsv } from './export-format.js'

describe('export formats', () => {
  it('writes RFC 4180 CSV with the union of columns', () => {
    const csv = toCsv([
      { id: 1, text: 'plain' },
      { id: 2, text: 'has, comma', extra: true },
      { id: 3, text: 'says "hi"\nnext line' },
    ])
    expect(csv).toBe('id,text,extra\r\n1,plain,\r\n2,"has, comma",true\r\n3,"says ""hi""\nnext line",\r\n')
  })

  it('defuses spreadsheet formulas and writes nested values as JSON', () => {
    const csv = toCsv([{ a: '=HYPERLINK("x")', b: '+1', c: { nested: [1, 2] }, d: new Date(0), e: -5 }])
    const [, row] = csv.split('\r\n')
    expect(row).toBe(`"'=HYPERLINK(""x"")",'+1,"{""nested"":[1,2]}",1970-01-01T00:00:00.000Z,-5`)
  })

  it('gives one JSON file, or one CSV per section, with bigints as decimal strings', () => {
    const data = {
      subjectId: 's',
      appId: null,
      generatedAt: '2026-01-01T00:00:00.000Z',
      sections: { 'dex.trades': [{ amount: 10n ** 30n }], 'chat.messages': [] },
    }
    const [json] = exportFiles(data, 'json')
    expect(json?.name).toBe('export.json')
    expect(JSON.parse(json!.content).sections['dex.trades'][0].amount).toBe('1000000000000000000000000000000')
    const csv = exportFiles(data, 'csv')
    expect(csv.map((f) => f.name)).toEqual(['dex.trades.csv', 'chat.messages.csv'])
    expect(csv[0]!.content).toBe('amount\r\n1000000000000000000000000000000\r\n')
  })
})
