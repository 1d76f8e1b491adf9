import { describe, expect, it } from 'vitest'
import { topicMatches } from './topic-match.js'

describe('topic patterns follow AMQP topic exchange rules', () => {
  it.each([
    ['order.created', 'order.created', true],
    ['order.*', 'order.created', true],
    ['order.*', 'order.created.eu', false],
    ['order.#', 'order', true],
    ['order.#', 'order.created.eu', true],
    ['#', 'anything.at.all', true],
    ['*.created', 'order.created', true],
    ['*.created', 'created', false],
    ['#.eu', 'order.created.eu', true],
    ['order.*.eu', 'order.x.us', false],
  ])('%s vs %s -> %s', (pattern, topic, expected) => {
    expect(topicMatches(pattern, topic)).toBe(expected)
  })
})
