import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from '../testing/harness.js'

/** Poll counts stay exact when many users vote, change and withdraw votes at the same time. */
let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>
const voters = Array.from({ length: 24 }, (_, i) => `v${i}`)

beforeAll(async () => {
  h = await startHarness('polls')
  S = await seedApp(h.app, 'polls', ['owner', ...voters])
  await S.users.owner!.post('/v1/channels', { type: 'messaging', id: 'vote-room', members: voters })
})
afterAll(async () => h?.close())

async function newPoll(multiple: boolean) {
  const message = await S.users.owner!.post('/v1/channels/vote-room/messages', { text: 'poll' })
  const poll = await S.users.owner!.post(`/v1/messages/${message.body.message.id}/poll`, {
    question: 'pick',
    options: ['a', 'b', 'c'],
    multiple,
  })
  return poll.body.poll as { id: string; options: { id: string }[] }
}

describe('concurrent votes', () => {
  it('single choice: everyone votes twice at once (a then their final pick); counts match the final picks', async () => {
    const poll = await newPoll(false)
    const [a, b, c] = poll.options.map((o) => o.id) as [string, string, string]
    const finalPick = (i: number) => [a, b, c][i % 3]!
    await Promise.all(
      voters.map(async (id, i) => {
        await S.users[id]!.post(`/v1/polls/${poll.id}/votes`, { optionIds: [a] })
        await S.users[id]!.post(`/v1/polls/${poll.id}/votes`, { optionIds: [finalPick(i)] })
      }),
    )
    // same user, two votes racing: exactly one survives
    await Promise.all([
      S.users.v0!.post(`/v1/polls/${poll.id}/votes`, { optionIds: [b] }),
      S.users.v0!.post(`/v1/polls/${poll.id}/votes`, { optionIds: [c] }),
    ])
    const result = (await S.users.owner!.get(`/v1/polls/${poll.id}`)).body.poll
    const expected = [a, b, c].map(
      (option) => voters.filter((_, i) => (i === 0 ? null : finalPick(i)) === option).length,
    )
    const v0 = result.options.findIndex((o: any) => o.voters.includes('v0'))
    expected[v0]! += 1
    expect(result.options.map((o: any) => o.voteCount)).toEqual(expected)
    expect(result.voterCount).toBe(voters.length)
    expect(result.options.reduce((sum: number, o: any) => sum + o.voteCount, 0)).toBe(voters.length)
  })

  it('multiple choice: concurrent votes and unvotes leave exact counts', async () => {
    const poll = await newPoll(true)
    const [a, b] = poll.options.map((o) => o.id) as [string, string]
    await Promise.all(
      voters.map((id) => S.users[id]!.post(`/v1/polls/${poll.id}/votes`, { optionIds: [a, b] })),
    )
    await Promise.all(
      voters
        .filter((_, i) => i % 2 === 0)
        .map((id) => S.users[id]!.delete(`/v1/polls/${poll.id}/votes?optionId=${b}`)),
    )
    const result = (await S.users.owner!.get(`/v1/polls/${poll.id}`)).body.poll
    expect(result.options.map((o: any) => o.voteCount)).toEqual([voters.length, voters.length / 2, 0])
    const closed = await S.users.owner!.post(`/v1/polls/${poll.id}/close`)
    expect(closed.body.poll.closedAt).not.toBeNull()
    expect((await S.users.v1!.post(`/v1/polls/${poll.id}/votes`, { optionIds: [a] })).status).toBe(409)
  })

  it('anonymous polls show counts but never who voted', async () => {
    const message = await S.users.owner!.post('/v1/channels/vote-room/messages', { text: 'secret ballot' })
    const poll = (
      await S.users.owner!.post(`/v1/messages/${message.body.message.id}/poll`, {
        question: 'q',
        options: ['x', 'y'],
        anonymous: true,
      })
    ).body.poll
    const voted = await S.users.v3!.post(`/v1/polls/${poll.id}/votes`, { optionIds: [poll.options[1].id] })
    expect(voted.body.poll.options.map((o: any) => [o.voteCount, o.voters])).toEqual([
      [0, undefined],
      [1, undefined],
    ])
    expect(voted.body.poll.ownVotes).toEqual([poll.options[1].id])
  })
})
