/**
 * Message senders for the drills: one loop per channel posting through the API with a fresh
 * clientMessageId each time (as the SDK does), remembering every acknowledged send and every
 * failure, so a drill can ask what was acknowledged and whether the database still has it.
 */
import type { ChatFixture } from '../load/http-json.js'

export interface Acknowledged {
  id: string
  /** performance.now() when the send started and when its acknowledgement arrived. */
  sentAt: number
  at: number
}

export interface Senders {
  acknowledged: Acknowledged[]
  failures: Record<string, number>
  failedSends(): number
  lastFailure(): string
  /** Acknowledged sends that started after `time`: the write path works again. */
  acknowledgedSince(time: number): Acknowledged[]
  stop(): Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function startSenders(chatUrl: string, fixture: ChatFixture): Senders {
  const acknowledged: Acknowledged[] = []
  const failures: Record<string, number> = {}
  let failed = 0
  let last = ''
  let sending = true
  const loops = fixture.channels.map(async (channel, i) => {
    for (let n = 0; sending; n++) {
      const id = `s${i}-${n}`
      const sentAt = performance.now()
      const response = await fetch(`${chatUrl}/v1/channels/${channel}/messages`, {
        method: 'POST',
        headers: { 'x-api-key': fixture.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({
          text: `drill ${id}`,
          clientMessageId: id,
          userId: fixture.users[i % fixture.users.length],
        }),
        // a client gives up on a send that hangs, and retries later with the same clientMessageId
        signal: AbortSignal.timeout(5000),
      }).catch(() => null)
      if (response?.status === 201 || response?.status === 200) {
        acknowledged.push({ id, sentAt, at: performance.now() })
        continue
      }
      failed++
      const key = String(response?.status ?? 'no response')
      failures[key] = (failures[key] ?? 0) + 1
      last = response ? (await response.text()).slice(0, 300) : 'no response (refused, reset or timed out)'
      await sleep(50)
    }
  })
  return {
    acknowledged,
    failures,
    failedSends: () => failed,
    lastFailure: () => last,
    acknowledgedSince: (time) => acknowledged.filter((a) => a.sentAt > time),
    stop: async () => {
      sending = false
      await Promise.all(loops)
    },
  }
}
