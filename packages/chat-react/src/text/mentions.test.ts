import { describe, expect, it } from 'vitest'
import { completeMention, mentionAtCaret, mentionedIds, splitMentions } from './mentions.js'

describe('the mention under the caret', () => {
  it('is found while typing after an @ at a word start', () => {
    expect(mentionAtCaret('hi @al', 6)).toEqual({ query: 'al', start: 3 })
    expect(mentionAtCaret('@', 1)).toEqual({ query: '', start: 0 })
  })
  it('is not found inside an e-mail address or after a space', () => {
    expect(mentionAtCaret('mail bob@example', 16)).toBeNull()
    expect(mentionAtCaret('hi @alice ', 10)).toBeNull()
  })
  it('completes to the chosen id, eating the rest of the partial word', () => {
    const text = 'hi @alxyz there'
    expect(completeMention(text, { query: 'al', start: 3 }, 6, 'alice')).toEqual({
      text: 'hi @alice there',
      caret: 10,
    })
  })
})

describe('mentions in a sent text', () => {
  it('collects known ids once each', () => {
    const known = (id: string) => ['alice', 'bob'].includes(id)
    expect(mentionedIds('@alice and @bob, @alice again, @nobody', known)).toEqual(['alice', 'bob'])
  })
  it('renders recorded mentions as their own runs and leaves the rest as text', () => {
    expect(splitMentions('ping @bob and @eve', ['bob'])).toEqual([
      { kind: 'text', text: 'ping ' },
      { kind: 'mention', userId: 'bob' },
      { kind: 'text', text: ' and @eve' },
    ])
  })
})
