/**
 * @chatsdk/react in Chromium (issue 10): render a 10,000-message list and scroll it, virtualized
 * (VirtualFeed + MessageItem) against the same MessageItems all in the DOM (no virtualization,
 * the peer), in the same browser, alternating rounds. Also the gzipped size of @chatsdk/client +
 * @chatsdk/react as an app bundles them: a minimal app (ChatProvider, MessageList, MessageInput),
 * tree-shaken, and everything both export (minified, React itself left out: an app has it anyway).
 *
 * Frame times come from requestAnimationFrame timestamps while the list scrolls up 40 px a frame,
 * in headless Chromium (--disable-gpu): absolute times are this machine's; read the ratios.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'

const HERE = fileURLToPath(new URL('./chat-react/', import.meta.url))
/** The SDK packages from source (their "@chatsdk/source" export condition), as the workspace builds them. */
const SOURCE_CONDITIONS = ['@chatsdk/source']
const COUNT = 10_000
const ROUNDS = 3
const SCROLL_FRAMES = 240
const SCROLL_STEP_PX = 40
/** A frame longer than this missed at least one 60 Hz vsync. */
const JANK_MS = 25
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

type Mode = 'virtual' | 'full'

export async function run() {
  const sizes = await bundleSizes()
  const page = await buildPage()
  const server = await serve(page)
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
  try {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    tab.on('pageerror', (error) => errors.push(error.message))
    tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    await tab
      .waitForFunction(() => 'bench' in globalThis)
      .catch(() => {
        throw new Error(`the benchmark page did not load: ${errors.join('; ')}`)
      })
    const rounds: Record<Mode, { renderMs: number; domNodes: number; frames: number[] }[]> = {
      virtual: [],
      full: [],
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of round % 2 === 0 ? (['virtual', 'full'] as const) : (['full', 'virtual'] as const)) {
        const rendered = await tab.evaluate(
          ([m, n]) => (globalThis as any).bench.render(m, n) as Promise<{ ms: number; domNodes: number }>,
          [mode, COUNT] as const,
        )
        const frames = await tab.evaluate(
          ([f, s]) => (globalThis as any).bench.scroll(f, s) as Promise<number[]>,
          [SCROLL_FRAMES, SCROLL_STEP_PX] as const,
        )
        rounds[mode].push({ renderMs: rendered.ms, domNodes: rendered.domNodes, frames })
        console.log(
          `round ${round + 1} ${mode.padEnd(7)} render ${rendered.ms.toFixed(0)} ms, ${rendered.domNodes} DOM nodes, ` +
            `scroll p95 ${percentile(frames, 0.95).toFixed(1)} ms`,
        )
      }
    }
    if (errors.length > 0) throw new Error(`the benchmark page failed: ${errors.join('; ')}`)
    const summary = (mode: Mode) => {
      const frames = rounds[mode].flatMap((r) => r.frames)
      return {
        renderMs: round1(median(rounds[mode].map((r) => r.renderMs))),
        domNodes: rounds[mode][0]!.domNodes,
        scrollFrameMs: {
          p50: round1(percentile(frames, 0.5)),
          p95: round1(percentile(frames, 0.95)),
          max: round1(Math.max(...frames)),
        },
        jankyFrames: `${frames.filter((gap) => gap > JANK_MS).length}/${frames.length}`,
      }
    }
    const virtual = summary('virtual')
    const full = summary('full')
    return {
      messages: COUNT,
      virtualized: virtual,
      peerAllInDom: full,
      ratios: {
        renderTimeVirtualOverFull: round2(virtual.renderMs / full.renderMs),
        scrollP95VirtualOverFull: round2(virtual.scrollFrameMs.p95 / full.scrollFrameMs.p95),
      },
      gzippedBytes: sizes,
    }
  } finally {
    await browser.close()
    server.close()
  }
}

async function buildPage(): Promise<Record<string, { type: string; body: Uint8Array }>> {
  const result = await build({
    entryPoints: { page: `${HERE}page.tsx` },
    bundle: true,
    conditions: SOURCE_CONDITIONS,
    minify: true,
    format: 'esm',
    jsx: 'automatic',
    target: 'es2022',
    write: false,
    outdir: '/out',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  })
  const files: Record<string, { type: string; body: Uint8Array }> = {
    '/': { type: 'text/html', body: new TextEncoder().encode(await readText(`${HERE}index.html`)) },
  }
  for (const file of result.outputFiles) {
    const name = file.path.slice('/out'.length)
    files[name] = { type: name.endsWith('.css') ? 'text/css' : 'text/javascript', body: file.contents }
  }
  return files
}

async function readText(path: string): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  return readFile(path, 'utf8')
}

function serve(files: Record<string, { type: string; body: Uint8Array }>): Promise<Server> {
  const server = createServer((request, response) => {
    const file = files[request.url ?? '/']
    if (!file) return void response.writeHead(404).end()
    response.writeHead(200, { 'content-type': file.type }).end(file.body)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

/**
 * The smallest chat an app can build with the SDK: a ChatClient, ChatProvider, MessageList and
 * MessageInput. Bundled as the app would ship it, this is what the SDK costs (tree-shaken).
 */
const MINIMAL_APP = `
import { ChatClient } from '@chatsdk/client'
import { ChatProvider, MessageInput, MessageList } from '@chatsdk/react'
import { createElement as h } from 'react'
import { createRoot } from 'react-dom/client'

const client = new ChatClient({
  baseUrl: location.origin,
  tokenProvider: () => fetch('/my/chat-token').then((response) => response.json()),
})
createRoot(document.getElementById('chat')).render(
  h(ChatProvider, { client }, h(MessageList, { channelId: 'general' }), h(MessageInput, { channelId: 'general' })),
)
`

/** Minified, gzipped (level 9) bytes of what an app pulls in; React and react-dom are the app's peers, left out. */
async function bundleSizes(): Promise<{
  minimalAppClientPlusReact: number
  everythingClientPlusReact: number
  chatReactStylesCss: number
}> {
  const sizeOf = async (source: string) => {
    const result = await build({
      stdin: { contents: source, resolveDir: HERE, loader: 'ts' },
      bundle: true,
      conditions: SOURCE_CONDITIONS,
      minify: true,
      treeShaking: true,
      format: 'esm',
      target: 'es2022',
      platform: 'browser',
      write: false,
      external: ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime'],
      define: { 'process.env.NODE_ENV': '"production"' },
      loader: { '.css': 'empty' },
      logLevel: 'error',
    })
    return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length
  }
  return {
    minimalAppClientPlusReact: await sizeOf(MINIMAL_APP),
    everythingClientPlusReact: await sizeOf(
      `export * from '@chatsdk/client'\nexport * from '@chatsdk/react'`,
    ),
    chatReactStylesCss: await cssSize(),
  }
}

/** The stylesheet an app imports (`@chatsdk/react/styles.css`), bundled and minified, gzipped. */
async function cssSize(): Promise<number> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../packages/chat-react/src/styles/index.css', import.meta.url))],
    bundle: true,
    minify: true,
    write: false,
    outdir: '/out',
    logLevel: 'error',
  })
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length
}

function median(values: number[]): number {
  return percentile(values, 0.5)
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN
}

const round1 = (value: number) => Math.round(value * 10) / 10
const round2 = (value: number) => Math.round(value * 100) / 100

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2))
}
