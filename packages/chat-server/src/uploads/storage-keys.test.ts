/** Storage keys: whatever the channel id, the file stays under `{appId}/` in one segment of its own. */
import { describe, expect, it } from 'vitest'
import { keyFor } from './uploads.js'

describe('upload storage keys', () => {
  it('keep every channel id, `..` included, inside its app prefix', () => {
    const app = '0190aaaa-0000-7000-8000-000000000000'
    for (const channelId of ['..', '.', '../..', 'a/../../b', '%2e%2e', 'odd@id.v2', 'x'.repeat(100)]) {
      const segments = keyFor(app, channelId, 'u1').split('/')
      expect(segments, channelId).toHaveLength(3)
      expect(segments[0]).toBe(app)
      expect(segments[1], channelId).toMatch(/^[A-Za-z0-9_-]+$/)
    }
  })
})
