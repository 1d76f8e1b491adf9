/**
 * The DEX web app against its peer, a bare Vite + React + wagmi page that fetches one quote
 * (bench/dex-web-peer), both built here with the same Vite and served precompressed next to one
 * real dex-server on its embedded chain:
 *
 * - JS of the initial route, gzipped: the entry script plus its modulepreload links in index.html.
 * - Time to first quote: from typing 0.1 into "You pay" (the pair already chosen) until the
 *   amount out is on screen, in Chromium; median of runs, each typing a new amount. The app waits
 *   QUOTE_DEBOUNCE_MS (300 ms) of quiet before it asks, by design; the peer asks on each keystroke.
 * - Largest contentful paint of the swap page, cold cache, median of runs.
 *
 *   npm run bench -- dex-web
 */

import { spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startDexServer } from '@soba/dex-server/main'
import { loadWebDist, pickEncoding } from '@soba/dex-server/web/static'
import { type Browser, chromium } from 'playwright-core'
import { build } from 'vite'

const WEB = fileURLToPath(new URL('../packages/dex-web/', import.meta.url))
const PEER = fileURLToPath(new URL('./dex-web-peer/', import.meta.url))
const PEER_DIST = join(PEER, 'dist')
const RUNS = 7
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface DexWebBenchResult {
  initialJsGzipBytes: { ours: number; peer: number; ratio: number }
  timeToFirstQuoteMs: {
    ours: number
    peer: number
    ratio: number
    oursRuns: number[]
    peerRuns: number[]
    debounceMs: number
  }
  lcpMs: { ours: number; peer: number; ratio: number; oursRuns: number[]; peerRuns: number[] }
  runs: number
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100

/** Gzipped bytes of the scripts index.html loads before the app can run. */
export async function initialJsGzip(dist: string): Promise<number> {
  const html = await readFile(join(dist, 'index.html'), 'utf8')
  const scripts = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"|<link rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((m) => (m[1] ?? m[2])!)
  let total = 0
  for (const src of scripts) {
    const path = join(dist, src.replace(/^\//, ''))
    const { gzipSync } = await import('node:zlib')
    total += await readFile(`${path}.gz`).then(
      (b) => b.length,
      async () => gzipSync(await readFile(path), { level: 9 }).length,
    )
  }
  return total
}

/** A static server for a built app with its API calls passed to the DEX server (the peer's host). */
async function servePeer(dist: string, api: string): Promise<{ url: string; server: Server }> {
  const files = loadWebDist(dist)
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    if (path.startsWith('/v1/')) {
      const upstream = await fetch(`${api}${req.url}`)
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
      })
      res.end(Buffer.from(await upstream.arrayBuffer()))
      return
    }
    const file = files.get(path) ?? files.get('/index.html')!
    const [encoding, body] = pickEncoding(file, req.headers['accept-encoding'])
    res.writeHead(200, {
      'content-type': file.type,
      'cache-control': file.cacheControl,
      ...(encoding ? { 'content-encoding': encoding } : {}),
    })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

// bypassCSP: Playwright's waitForFunction evaluates its predicate as a string, which the app's CSP forbids.
async function timeToQuote(browser: Browser, url: string, amount: string): Promise<number> {
  const context = await browser.newContext({ locale: 'en-US', bypassCSP: true })
  const page = await context.newPage()
  await page.goto(url)
  const input = page.getByRole('textbox', { name: 'You pay' })
  await input.waitFor()
  // Ready to type: the app shows its pair (ours) or its input (the peer).
  await page.waitForTimeout(300)
  const started = Date.now()
  await input.fill(amount)
  // Page code as strings: this file is typed for Node, not the DOM.
  await page.waitForFunction(`(() => {
    const ours = document.querySelector('#amount-you-receive')
    const peer = document.querySelector('output')
    return ((ours ? ours.value : peer ? peer.textContent : '') || '') !== ''
  })()`)
  const elapsed = Date.now() - started
  await context.close()
  return elapsed
}

async function lcp(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ locale: 'en-US', bypassCSP: true })
  const page = await context.newPage()
  await page.goto(url, { waitUntil: 'load' })
  await page.getByRole('textbox', { name: 'You pay' }).waitFor()
  await page.waitForTimeout(500)
  const value = (await page.evaluate(`new Promise((resolve) => {
    new PerformanceObserver((list) => {
      const entries = list.getEntries()
      resolve(entries[entries.length - 1].startTime)
    }).observe({ type: 'largest-contentful-paint', buffered: true })
  })`)) as number
  await context.close()
  return value
}

export async function run(): Promise<DexWebBenchResult> {
  console.log('building the app (when stale) and the peer with Vite…')
  // The app's own build step, as `npm start` runs it (a child: Vite sets NODE_ENV=production in-process).
  const built = spawnSync('npx', ['tsx', join(WEB, 'build/ensure-built.ts')], { stdio: 'inherit' })
  if (built.status !== 0) throw new Error('the dex-web build failed')
  const { precompress } = await import('../packages/dex-web/build/precompress.js')
  await build({
    root: PEER,
    configFile: false,
    logLevel: 'error',
    esbuild: { jsx: 'automatic' },
    build: { outDir: PEER_DIST, emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false } },
    plugins: [precompress()],
  })
  const ours = await initialJsGzip(join(WEB, 'dist'))
  const peerBytes = await initialJsGzip(PEER_DIST)

  const dex = await startDexServer({
    port: 0,
    schema: `bench_dex_web_${process.pid}`,
    // Vite's build above set NODE_ENV=production in this process; the embedded chain is development.
    env: { ...process.env, NODE_ENV: 'development', RPC_PORT: '0', LOG_LEVEL: 'warn' },
  })
  const peer = await servePeer(PEER_DIST, dex.url)
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ARGS,
  })
  try {
    const oursUrl = `${dex.url}/swap?inputCurrency=ETH&outputCurrency=USDC`
    const oursRuns: number[] = []
    const peerRuns: number[] = []
    const oursLcp: number[] = []
    const peerLcp: number[] = []
    // Interleaved, so load on the shared machine hits both alike.
    for (let i = 0; i < RUNS; i++) {
      const amount = `0.${i + 1}`
      oursRuns.push(await timeToQuote(browser, oursUrl, amount))
      peerRuns.push(await timeToQuote(browser, peer.url, amount))
      oursLcp.push(await lcp(browser, oursUrl))
      peerLcp.push(await lcp(browser, peer.url))
    }
    const { QUOTE_DEBOUNCE_MS } = await import('../packages/dex-web/src/swap/useQuote.js')
    return {
      initialJsGzipBytes: { ours, peer: peerBytes, ratio: ratio(ours, peerBytes) },
      timeToFirstQuoteMs: {
        ours: median(oursRuns),
        peer: median(peerRuns),
        ratio: ratio(median(oursRuns), median(peerRuns)),
        oursRuns,
        peerRuns,
        debounceMs: QUOTE_DEBOUNCE_MS,
      },
      lcpMs: {
        ours: Math.round(median(oursLcp)),
        peer: Math.round(median(peerLcp)),
        ratio: ratio(median(oursLcp), median(peerLcp)),
        oursRuns: oursLcp.map(Math.round),
        peerRuns: peerLcp.map(Math.round),
      },
      runs: RUNS,
    }
  } finally {
    await browser.close()
    await new Promise((resolve) => peer.server.close(resolve))
    await dex.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2))
}
