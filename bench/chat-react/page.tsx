/**
 * The page the render benchmark loads in Chromium: 10,000 messages rendered by @chatsdk/react's
 * VirtualFeed + MessageItem, or (the peer) the same MessageItems all in the DOM, as a list
 * without virtualization would. window.bench drives it from the benchmark.
 */
import '@chatsdk/react/styles.css'
import { MessageItem, type MessageView, VirtualFeed } from '@chatsdk/react'
import { createRoot, type Root } from 'react-dom/client'

const AUTHORS = ['alice', 'bob', 'carol', 'dave']
const WORDS =
  'the quick brown fox jumps over a lazy dog while soba noodles cool on the counter by the window'.split(' ')

function messages(count: number): MessageView[] {
  const start = Date.parse('2026-11-01T08:00:00Z')
  return Array.from({ length: count }, (_, index) => {
    // deterministic lengths from one to four lines, so rows differ in height as in a real chat
    const words = 4 + ((index * 7919) % 60)
    const text = Array.from({ length: words }, (_, w) => WORDS[(index + w * 3) % WORDS.length]).join(' ')
    return {
      id: `m${index}`,
      channelId: 'general',
      seq: index + 1,
      userId: AUTHORS[(index * 31) % AUTHORS.length]!,
      text,
      type: 'regular',
      parentId: null,
      quotedMessageId: null,
      mentions: [],
      attachments: [],
      custom: {},
      clientMessageId: null,
      replyCount: 0,
      threadParticipants: [],
      pinnedAt: null,
      pinnedBy: null,
      editedAt: null,
      deletedAt: null,
      createdAt: new Date(start + index * 45_000).toISOString(),
      updatedAt: new Date(start + index * 45_000).toISOString(),
      reactionCounts: {},
      ownReactions: [],
      delivery: 'sent',
    }
  })
}

function Virtual({ items }: { items: MessageView[] }) {
  return (
    <VirtualFeed
      items={items}
      getKey={(message) => message.id}
      getLabel={(message) => message.userId ?? ''}
      renderItem={(message) => <MessageItem message={message} authorName={message.userId ?? ''} />}
      label="Messages"
      hasOlder={false}
      hasNewer={false}
      loading={false}
      onNearStart={() => {}}
      onNearEnd={() => {}}
    />
  )
}

function Full({ items }: { items: MessageView[] }) {
  return (
    <div className="csdk-feed" style={{ contain: 'none' }}>
      {items.map((message) => (
        <article key={message.id}>
          <MessageItem message={message} authorName={message.userId ?? ''} />
        </article>
      ))}
    </div>
  )
}

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve))
let root: Root | null = null

async function render(mode: 'virtual' | 'full', count: number): Promise<{ ms: number; domNodes: number }> {
  root?.unmount()
  const host = document.getElementById('host')!
  root = createRoot(host)
  const items = messages(count)
  await frame()
  const started = performance.now()
  root.render(mode === 'virtual' ? <Virtual items={items} /> : <Full items={items} />)
  // committed, laid out and painted: two frames later
  await frame()
  await frame()
  const ms = performance.now() - started
  const scroller = host.querySelector<HTMLElement>('.csdk-feed')!
  if (mode === 'full') scroller.scrollTop = scroller.scrollHeight
  await frame()
  return { ms, domNodes: host.getElementsByTagName('*').length }
}

/** Scrolls up through history a step per frame and returns the time between frames. */
async function scroll(frames: number, step: number): Promise<number[]> {
  const scroller = document.querySelector<HTMLElement>('#host .csdk-feed')!
  const gaps: number[] = []
  let last = await frame()
  for (let i = 0; i < frames; i++) {
    scroller.scrollTop -= step
    const now = await frame()
    gaps.push(now - last)
    last = now
  }
  return gaps
}

Object.assign(window, { bench: { render, scroll } })
