import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './browser.js'
import { type RunningServer, startChatServer } from './chat-server-process.js'

/**
 * Issue 10's browser test: alice and bob, each in their own browser context, chat through the
 * demo app served by a real chat-server. The steps run in order and build on each other.
 */
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url))
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

interface Person {
  context: BrowserContext
  page: Page
  errors: string[]
}

let server: RunningServer
let browser: Browser
let alice: Person
let bob: Person
const run = Date.now().toString(36)
const first = `Hello from alice ${run}`

async function signIn(userId: string): Promise<Person> {
  const context = await browser.newContext({ viewport: DESKTOP })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`))
  await page.goto(`${server.url}/?user=${userId}`)
  await page.getByRole('textbox', { name: 'Message' }).waitFor()
  return { context, page, errors }
}

// channels are named for people ("General"); the tests name them by id, case aside
const feed = (page: Page, channel: string) =>
  page.getByRole('feed', { name: new RegExp(`^Messages in #${channel}$`, 'i') })
const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' })

async function send(page: Page, text: string) {
  await composer(page).fill(text)
  await composer(page).press('Enter')
}

/** The unread count in a channel link's accessible name ("random, 2 unread"), 0 without one. */
async function unreadOf(page: Page, channel: string): Promise<number> {
  const name =
    (await page.getByRole('link', { name: new RegExp(`^${channel}`, 'i') }).getAttribute('aria-label')) ?? ''
  return Number(/, (\d+) unread/.exec(name)?.[1] ?? 0)
}

/**
 * The layout of a feed's rows on screen: each row's box, and the span of what a person can see
 * in it (text, images; hidden things such as the hover time of a grouped message do not count).
 */
async function feedLayout(page: Page, channel: string) {
  return feed(page, channel)
    .getByRole('article')
    .evaluateAll((articles) => {
      const visibleSpan = (article: Element) => {
        let top = Number.POSITIVE_INFINITY
        let bottom = Number.NEGATIVE_INFINITY
        const add = (rect: DOMRect) => {
          if (rect.width === 0 || rect.height === 0) return
          top = Math.min(top, rect.top)
          bottom = Math.max(bottom, rect.bottom)
        }
        const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const element = node instanceof Element ? node : node.parentElement
          if (!element || getComputedStyle(element).visibility !== 'visible') continue
          if (node instanceof Text) {
            if (!node.textContent?.trim()) continue
            const range = document.createRange()
            range.selectNodeContents(node)
            for (const rect of range.getClientRects()) add(rect)
          } else if (node instanceof HTMLImageElement) add(node.getBoundingClientRect())
        }
        return { top, bottom }
      }
      return articles
        .map((article) => {
          const box = article.getBoundingClientRect()
          const label = article.getAttribute('aria-label') ?? ''
          const author = label.slice(0, label.indexOf(':'))
          // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is wanted (hidden text left out)
          const lines = (article as HTMLElement).innerText.split('\n').map((line) => line.trim())
          return {
            index: Number(article.getAttribute('data-index')),
            label,
            author,
            // a message under the one before it from the same author shows no name of its own
            grouped: !lines.includes(author),
            top: box.top,
            bottom: box.bottom,
            visible: visibleSpan(article),
          }
        })
        .sort((a, b) => a.index - b.index)
    })
}

/**
 * Gaps in a feed, as a person would see them:
 * - neighbouring rows whose boxes do not touch (the virtualizer stacks rows by the heights it
 *   measured: a stale height leaves a band, or an overlap);
 * - a message grouped under the one before it standing further from it than two messages of
 *   different authors stand apart (the feed's spacing between rows, measured on the page).
 */
async function feedGaps(page: Page, channel: string): Promise<string[]> {
  const rows = await feedLayout(page, channel)
  const pairs = rows.slice(1).map((below, k) => {
    const above = rows[k]!
    return { above, below, band: below.visible.top - above.visible.bottom }
  })
  const adjacent = pairs.filter(({ above, below }) => below.index === above.index + 1)
  const gaps: string[] = []
  for (const { above, below } of adjacent) {
    if (Math.abs(below.top - above.bottom) > 1)
      gaps.push(`rows ${Math.round(below.top - above.bottom)} px apart: "${above.label}", "${below.label}"`)
  }
  const between = adjacent.filter(({ below }) => !below.grouped).map(({ band }) => band)
  const spacing = Math.min(...between)
  for (const { above, below, band } of adjacent) {
    if (below.grouped && band > spacing)
      gaps.push(
        `${Math.round(band)} px blank (spacing ${Math.round(spacing)} px): "${above.label}", "${below.label}"`,
      )
  }
  return gaps
}

declare global {
  interface Window {
    __sentAt: number
    __renderedAt: number
  }
}

/**
 * The 1 s budget runs from alice's Enter to the moment bob's page shows the message, both read
 * in the pages (the two contexts share the machine's clock), so neither the test runner's round
 * trips to the browser nor its polling count. Alice's page notes the Enter key as it happens.
 */
async function markSend(page: Page) {
  await page.evaluate(() => {
    const box = document.querySelector<HTMLElement>('[aria-label="Message"]')!
    const note = (event: KeyboardEvent) => {
      if (event.key !== 'Enter') return
      window.__sentAt = performance.timeOrigin + performance.now()
      box.removeEventListener('keydown', note, true)
    }
    box.addEventListener('keydown', note, true)
  })
}

/** Bob's page notes when a message with this text enters its DOM (React committed it). */
async function markRender(page: Page, text: string) {
  await page.evaluate((wanted) => {
    const observer = new MutationObserver(() => {
      if (!document.body.textContent?.includes(wanted)) return
      window.__renderedAt = performance.timeOrigin + performance.now()
      observer.disconnect()
    })
    observer.observe(document.body, { childList: true, subtree: true, characterData: true })
  }, text)
}

async function shoot(person: Person, name: string) {
  await person.page.screenshot({ path: `${ARTIFACTS}${name}-desktop.png` })
  await person.page.setViewportSize(PHONE)
  // the channel drawer slides shut when the layout turns narrow: let it finish
  await person.page.waitForTimeout(400)
  await person.page.screenshot({ path: `${ARTIFACTS}${name}-390.png` })
  await person.page.setViewportSize(DESKTOP)
}

describe('alice and bob chat in the demo app', () => {
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true })
    server = await startChatServer()
    browser = await launchChromium()
    alice = await signIn('alice')
    bob = await signIn('bob')
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('1. bob sees alice’s message in general within a second; her message in random is an unread badge for him', async () => {
    // both open general by default
    await feed(alice.page, 'general').waitFor()
    await feed(bob.page, 'general').waitFor()
    await composer(alice.page).fill(first)
    await markSend(alice.page)
    await markRender(bob.page, first)
    await composer(alice.page).press('Enter')
    await feed(bob.page, 'general').getByText(first).waitFor({ timeout: 5_000 })
    const seenAfterMs =
      (await bob.page.evaluate(() => window.__renderedAt)) -
      (await alice.page.evaluate(() => window.__sentAt))
    console.info(`alice's Enter to bob's render: ${Math.round(seenAfterMs)} ms`)
    // soft: the rest of the step still runs (and reports) when the machine is too busy for 1 s
    expect.soft(seenAfterMs, 'bob sees the message within 1 s').toBeLessThan(1_000)

    // random has seeded history bob may not have read: the badge must grow by exactly one
    const before = await unreadOf(bob.page, 'random')
    await alice.page.getByRole('link', { name: /^random/i }).click()
    await feed(alice.page, 'random').waitFor()
    await send(alice.page, `News in random ${run}`)
    await feed(alice.page, 'random').getByText(`News in random ${run}`).waitFor()
    await bob.page
      .getByRole('link', { name: new RegExp(`^random, ${before + 1} unread`, 'i') })
      .waitFor({ timeout: 5_000 })
    await shoot(bob, '1-unread-badge')
    // on a phone the channel list is a drawer: its button carries the news instead
    await bob.page.setViewportSize(PHONE)
    await bob.page.getByRole('button', { name: /^Open channel list, \d+ unread$/ }).waitFor()
    await bob.page.setViewportSize(DESKTOP)
  })

  it('2. bob replies in a thread, alice reacts to the reply, both see the count', async () => {
    const message = feed(bob.page, 'general').getByRole('article', { name: new RegExp(first) })
    await message.hover()
    await message.getByRole('button', { name: 'Reply in thread' }).click()
    const thread = bob.page.getByRole('complementary', { name: 'Thread' })
    await thread.getByRole('textbox', { name: 'Reply' }).fill(`A threaded reply ${run}`)
    await thread.getByRole('textbox', { name: 'Reply' }).press('Enter')
    await thread.getByText(`A threaded reply ${run}`).waitFor()

    await alice.page.getByRole('link', { name: /^general/i }).click()
    const own = feed(alice.page, 'general').getByRole('article', { name: new RegExp(first) })
    await own.getByRole('button', { name: '1 reply' }).click()
    const aliceThread = alice.page.getByRole('complementary', { name: 'Thread' })
    const reply = aliceThread.getByRole('listitem').filter({ hasText: `A threaded reply ${run}` })
    await reply.hover()
    await reply.getByRole('button', { name: 'Add reaction' }).click()
    await reply.getByRole('button', { name: 'React with thumbs up' }).click()

    const count = /^thumbs up: 1 reaction/
    await aliceThread.getByRole('button', { name: count }).waitFor()
    await thread.getByRole('button', { name: count }).waitFor({ timeout: 5_000 })
    await shoot(bob, '2-thread-and-reaction')
  })

  it('3. bob uploads an image, alice sees its thumbnail', async () => {
    const png = await sharp({ create: { width: 96, height: 64, channels: 3, background: '#4f46e5' } })
      .png()
      .toBuffer()
    await bob.page
      .getByLabel('Files to attach')
      .first()
      .setInputFiles({
        name: `sunset-${run}.png`,
        mimeType: 'image/png',
        buffer: png,
      })
    const sendButton = bob.page.getByRole('main').getByRole('button', { name: 'Send' })
    await expect.poll(() => sendButton.isEnabled(), { timeout: 10_000 }).toBe(true)
    await sendButton.click()

    const thumbnail = feed(alice.page, 'general').getByRole('img', { name: `sunset-${run}.png` })
    await thumbnail.waitFor({ timeout: 10_000 })
    await expect
      .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), {
        timeout: 10_000,
      })
      .toBe(true)
    await shoot(alice, '3-image')
  })

  it('4. alice sends three messages offline; they show as pending and reach bob once each, in order', async () => {
    const texts = [1, 2, 3].map((n) => `Offline ${n} ${run}`)
    // The thread from step 2 is done with: on a phone it would cover the pending messages.
    await alice.page
      .getByRole('complementary', { name: 'Thread' })
      .getByRole('button', { name: 'Close thread' })
      .click()
    await alice.page.getByRole('complementary', { name: 'Thread' }).waitFor({ state: 'detached' })
    await alice.context.setOffline(true)
    await alice.page
      .getByRole('status')
      .filter({ hasText: /offline/i })
      .waitFor({ timeout: 10_000 })
    for (const text of texts) await send(alice.page, text)
    const aliceFeed = feed(alice.page, 'general')
    // offline nothing is being sent: each says it waits for the connection
    for (const text of texts) {
      await aliceFeed
        .getByRole('article', { name: new RegExp(text) })
        .getByRole('status')
        .filter({ hasText: /^Waiting for connection$/ })
        .waitFor()
    }
    expect(await aliceFeed.getByText('Sending…').count()).toBe(0)
    await shoot(alice, '4-offline-pending')

    await alice.context.setOffline(false)
    const bobFeed = feed(bob.page, 'general')
    await bobFeed.getByText(texts[2]!).waitFor({ timeout: 20_000 })
    const seen = await bobFeed
      .getByRole('article')
      .evaluateAll((articles) => articles.map((article) => article.getAttribute('aria-label') ?? ''))
    const offline = seen.filter((label) => label.includes(`Offline `) && label.includes(run))
    expect(offline.map((label) => texts.find((text) => label.includes(text)))).toEqual(texts)
    await aliceFeed
      .getByText('Waiting for connection')
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 })
    await aliceFeed.getByText('Sending…').first().waitFor({ state: 'detached', timeout: 10_000 })
    // the queued rows became the stored messages: no row keeps the height it had while pending
    await alice.page.waitForTimeout(300)
    expect(await feedGaps(alice.page, 'general')).toEqual([])
    expect(await feedGaps(bob.page, 'general')).toEqual([])
  })

  it('5. bob reloads: the history, the thread and the reaction are still there', async () => {
    await bob.page.reload()
    const bobFeed = feed(bob.page, 'general')
    await bobFeed.getByText(`Offline 3 ${run}`).waitFor()
    const message = bobFeed.getByRole('article', { name: new RegExp(first) })
    await message.getByRole('button', { name: '1 reply' }).click()
    const thread = bob.page.getByRole('complementary', { name: 'Thread' })
    await thread.getByText(`A threaded reply ${run}`).waitFor()
    await thread.getByRole('button', { name: /^thumbs up: 1 reaction/ }).waitFor()
    // the list narrowed for the thread and its image loaded: every row measured anew, no gaps
    await bob.page.waitForTimeout(300)
    expect(await feedGaps(bob.page, 'general')).toEqual([])
    await shoot(bob, '5-after-reload')
  })

  it('6. members or older history fail to load: a notice says so above the messages, and Try again loads them', async () => {
    // carol posts 60 messages into random through the API, so her list opens on the latest page
    const tokens = await fetch(`${server.url}/v1/dev/demo/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'carol' }),
    }).then((response) => response.json() as Promise<{ accessToken: string }>)
    for (let n = 1; n <= 60; n++) {
      const response = await fetch(`${server.url}/v1/channels/random/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: `History ${n} ${run}` }),
      })
      expect(response.status).toBe(201)
    }
    // her own context: the failing requests below are logged by Chromium as console errors
    const context = await browser.newContext({ viewport: DESKTOP })
    const page = await context.newPage()
    let refused = 0
    // the requests for a page older than the loaded ones (`?before=<seq>`) answer 503
    const olderPages = /\/v1\/channels\/random\/messages\?(.*&)?before=/
    await page.route(olderPages, (route) => {
      refused++
      return route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          code: 'unavailable',
          detail: 'history is resting',
        }),
      })
    })
    // the channel's members (roles, read markers) answer 503 too: the messages still show
    const members = /\/v1\/channels\/random$/
    let membersAsked = 0
    await page.route(members, (route) => {
      membersAsked++
      return route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{"status":503}' })
    })
    await page.goto(`${server.url}/?user=carol&channel=random`)
    const list = feed(page, 'random')
    await list.getByText(`History 60 ${run}`).waitFor()
    const membersNotice = page
      .getByRole('main')
      .getByRole('alert')
      .filter({ hasText: "Couldn't load this channel's members." })
    await membersNotice.waitFor()
    await page.screenshot({ path: `${ARTIFACTS}6-members-failed.png` })
    // the client retries a 503 a few times (backoff under 3 s): let every load give up first
    for (let before = -1; before !== membersAsked; ) {
      before = membersAsked
      await page.waitForTimeout(3_000)
    }
    await membersNotice.waitFor()
    await page.unroute(members)
    await membersNotice.getByRole('button', { name: 'Try again' }).click()
    await membersNotice.waitFor({ state: 'detached', timeout: 20_000 })
    await page
      .getByRole('main')
      .getByText(/^\d+ members · \d+ online$/)
      .waitFor()
    await list.evaluate((element) => element.scrollTo({ top: 0 }))

    const notice = page
      .getByRole('main')
      .getByRole('alert')
      .filter({ hasText: "Couldn't load older messages." })
    await notice.waitFor({ timeout: 20_000 })
    expect(refused).toBeGreaterThan(0)
    // shown once, asked once: a failed page is not requested again on every scroll
    const asked = refused
    await list.evaluate((element) => element.scrollBy({ top: 40 }))
    await list.evaluate((element) => element.scrollTo({ top: 0 }))
    await page.waitForTimeout(1_000)
    expect(refused).toBe(asked)
    await page.screenshot({ path: `${ARTIFACTS}6-older-history-failed.png` })

    // Dismiss puts it away; being at the top, the list asks again, and says so again
    await notice.getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => refused, { timeout: 10_000 }).toBeGreaterThan(asked)
    await notice.waitFor({ timeout: 20_000 })

    await page.unroute(olderPages)
    const failures = refused
    await notice.getByRole('button', { name: 'Try again' }).click()
    await notice.waitFor({ state: 'detached', timeout: 20_000 })
    // the older page is in, above the message the reader was at (kept in place)
    await list.getByRole('article', { name: new RegExp(`History 10 ${run}$`) }).waitFor({ state: 'attached' })
    expect(refused).toBe(failures)
    expect(await notice.count()).toBe(0)
    expect(await feedGaps(page, 'random')).toEqual([])
    await page.screenshot({ path: `${ARTIFACTS}6-older-history-loaded.png` })
    await context.close()
  })

  it('shows the picker, a sign-in error and the dark theme as a person would see them', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, colorScheme: 'dark' })
    const page = await context.newPage()
    await page.goto(server.url)
    await page.getByRole('link', { name: /Continue as Carol/ }).waitFor()
    await page.screenshot({ path: `${ARTIFACTS}picker-dark.png` })
    await page.goto(`${server.url}/?user=mallory`)
    await page.getByRole('alert').getByText('Could not sign in as mallory').waitFor()
    await page.screenshot({ path: `${ARTIFACTS}sign-in-error-dark.png` })
    await page.getByRole('button', { name: 'Pick another user' }).click()
    await page.getByRole('link', { name: /Continue as Carol/ }).click()
    await feed(page, 'general').waitFor()
    await page.screenshot({ path: `${ARTIFACTS}carol-dark-desktop.png` })
    await page.setViewportSize(PHONE)
    await page.getByRole('button', { name: 'Open channel list' }).click()
    await page.waitForTimeout(400)
    await page.screenshot({ path: `${ARTIFACTS}carol-dark-390-channels.png` })
    await context.close()
  })

  it('7. neither page logged an error', () => {
    expect(alice.errors).toEqual([])
    expect(bob.errors).toEqual([])
  })
})
