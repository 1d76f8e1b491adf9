import { describe, expect, it } from 'vitest'
import { uuidv7 } from './uuidv7.js'

describe('uuidv7', () => {
  it('has version 7, the RFC variant and the millisecond timestamp up front', () => {
    const id = uuidv7(0x0189_abcd_ef01)
    expect(id).toMatch(/^0189abcd-ef01-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('sorts by creation time and does not repeat', () => {
    const ids = [uuidv7(1_000), uuidv7(2_000), uuidv7(3_000)]
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(Array.from({ length: 1000 }, () => uuidv7())).size).toBe(1000)
  })

  it('stays strictly increasing within one millisecond and when the clock steps back', () => {
    const ids = [...Array.from({ length: 5000 }, () => uuidv7(10_000)), uuidv7(9_000), uuidv7(10_001)]
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })
})
