import { describe, expect, it } from 'vitest'
import { readUrlState, urlFor } from './url-state.js'

describe('the app state in the URL', () => {
  it('reads the demo user and channel from the query string', () => {
    expect(readUrlState('?user=alice&channel=random')).toEqual({ user: 'alice', channel: 'random' })
    expect(readUrlState('')).toEqual({ user: null, channel: null })
  })
  it('ignores values that cannot be user or channel ids', () => {
    expect(readUrlState('?user=<script>&channel=a%20b')).toEqual({ user: null, channel: null })
  })
  it('writes the same state back', () => {
    expect(urlFor({ user: 'bob', channel: 'general' })).toBe('/?user=bob&channel=general')
    expect(urlFor({ user: null, channel: null })).toBe('/')
  })
})
