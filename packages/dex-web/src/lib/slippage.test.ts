import { describe, expect, it } from 'vitest'
import {
  bpsToPercentString,
  DEFAULT_SETTINGS,
  loadSettings,
  parseDeadlineInput,
  parseSlippageInput,
  saveSettings,
} from './slippage.js'

describe('slippage settings', () => {
  it('treats an empty field as Auto', () => {
    expect(parseSlippageInput('')).toEqual({ ok: true, bps: null, warning: null })
  })

  it('reads a custom percentage to basis points, accepting a decimal comma', () => {
    expect(parseSlippageInput('0.5')).toEqual({ ok: true, bps: 50, warning: null })
    expect(parseSlippageInput('1,25')).toEqual({ ok: true, bps: 125, warning: 'too_high' })
  })

  it('warns that a tiny tolerance will likely fail and a large one invites frontrunning', () => {
    expect(parseSlippageInput('0.01')).toMatchObject({ ok: true, bps: 1, warning: 'too_low' })
    expect(parseSlippageInput('5')).toMatchObject({ ok: true, bps: 500, warning: 'too_high' })
    expect(parseSlippageInput('1')).toMatchObject({ ok: true, bps: 100, warning: null })
  })

  it('refuses zero, more than 50% and malformed input', () => {
    expect(parseSlippageInput('0')).toMatchObject({ ok: false })
    expect(parseSlippageInput('50.01')).toMatchObject({ ok: false })
    expect(parseSlippageInput('abc')).toMatchObject({ ok: false })
    expect(parseSlippageInput('0.001')).toMatchObject({ ok: false })
  })

  it('formats basis points as the API percent', () => {
    expect(bpsToPercentString(50)).toBe('0.5')
    expect(bpsToPercentString(1)).toBe('0.01')
    expect(bpsToPercentString(300)).toBe('3')
  })

  it('bounds the deadline to whole minutes between 1 and 3 days', () => {
    expect(parseDeadlineInput('30')).toEqual({ ok: true, minutes: 30 })
    expect(parseDeadlineInput('0')).toMatchObject({ ok: false })
    expect(parseDeadlineInput('4321')).toMatchObject({ ok: false })
    expect(parseDeadlineInput('1.5')).toMatchObject({ ok: false })
  })

  it('survives a round trip through storage and ignores tampered values', () => {
    const store = new Map<string, string>()
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    }
    saveSettings(storage, { slippageBps: 125, deadlineMinutes: 5 })
    expect(loadSettings(storage)).toEqual({ slippageBps: 125, deadlineMinutes: 5 })
    store.set('soba.swapSettings', JSON.stringify({ slippageBps: 999_999, deadlineMinutes: -1 }))
    expect(loadSettings(storage)).toEqual(DEFAULT_SETTINGS)
    store.set('soba.swapSettings', '{not json')
    expect(loadSettings(storage)).toEqual(DEFAULT_SETTINGS)
  })
})
