import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { TestToken } from '@soba/contracts'
import { type DexServer, startDexServer } from '@soba/dex-server/main'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import {
  type Abi,
  type Address,
  encodeDeployData,
  encodeFunctionData,
  type Hex,
  maxUint256,
  parseAbi,
  parseUnits,
} from 'viem'

/** Screenshots land here (gitignored); CI keeps them as artifacts. */
export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url))

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
}

/**
 * A real dex-server on its embedded chain (EDR, a block a second, the market simulator trading),
 * on free ports, in its own database schema. The web app must be built (scripts/ci/dex-web.sh does).
 */
export async function startServer(): Promise<DexServer> {
  return startDexServer({
    port: 0,
    host: '127.0.0.1',
    schema: `dex_web_e2e_${process.pid}`,
    env: {
      ...process.env,
      RPC_PORT: '0',
      RPC_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CHAIN_BLOCK_TIME_MS: '1000',
    },
  })
}

/** The node's JSON-RPC, as the test's own hand on the chain (set-up and the front-running trader). */
export function rpcOf(server: DexServer) {
  return (method: string, params: unknown[] = []) =>
    server.deps.chain.rpc.request({ method, params }) as Promise<any>
}

export async function receiptOf(rpc: ReturnType<typeof rpcOf>, hash: Hex) {
  for (let i = 0; i < 100; i++) {
    const receipt = await rpc('eth_getTransactionReceipt', [hash])
    if (receipt) {
      if (receipt.status !== '0x1') throw new Error(`transaction ${hash} reverted`)
      return receipt
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`transaction ${hash} not mined`)
}

const routerAbi = parseAbi([
  'function addLiquidity(address tokenA, address tokenB, uint256 amountADesired, uint256 amountBDesired, uint256 amountAMin, uint256 amountBMin, address to, uint256 deadline) returns (uint256, uint256, uint256)',
])
const erc20 = parseAbi(['function approve(address, uint256) returns (bool)'])

/**
 * A token the token list does not know, with one pool against USDC only: WETH reaches it in two
 * hops (WETH → USDC → TRD), and the page must import it with a warning.
 */
export async function deployThirdToken(server: DexServer, from: Address): Promise<Address> {
  const rpc = rpcOf(server)
  const send = async (tx: Record<string, unknown>) =>
    receiptOf(rpc, await rpc('eth_sendTransaction', [{ from, ...tx }]))
  const deployed = await send({
    data: encodeDeployData({
      abi: TestToken.abi as Abi,
      bytecode: TestToken.bytecode as Hex,
      args: ['Third Token', 'TRD', 18, 0n],
    }),
  })
  const token = deployed.contractAddress as Address
  const usdc = server.deps.chain.tokens.find((t) => t.symbol === 'USDC')!.address
  const router = server.deps.chain.contracts.router
  await send({
    to: token,
    data: encodeFunctionData({
      abi: TestToken.abi as Abi,
      functionName: 'mint',
      args: [from, parseUnits('1000000', 18)],
    }),
  })
  await send({
    to: token,
    data: encodeFunctionData({ abi: erc20, functionName: 'approve', args: [router, maxUint256] }),
  })
  // 1 TRD = 2 USDC, 500,000 USDC deep.
  await send({
    to: router,
    data: encodeFunctionData({
      abi: routerAbi,
      functionName: 'addLiquidity',
      args: [token, usdc, parseUnits('250000', 18), parseUnits('500000', 6), 0n, 0n, from, 2n ** 64n],
    }),
  })
  return token
}

export const VIEWPORTS = {
  desktop: { width: 1280, height: 860 },
  mobile: { width: 390, height: 844 },
} as const

/** Pages that were wider than the 390 px viewport (with the widest element), found by shoot(). */
export const overflows: string[] = []

/** Four screenshots of the current page: desktop and 390 px, light and dark. */
export async function shoot(page: Page, name: string): Promise<string[]> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const files: string[] = []
  const original = page.viewportSize()
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => {
      localStorage.setItem('soba.theme', t)
      document.documentElement.dataset.theme = t
    }, theme)
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport)
      await page.waitForTimeout(250)
      if (size === 'mobile') {
        const wide = await page.evaluate(() => {
          const width = document.documentElement.clientWidth
          if (document.documentElement.scrollWidth <= width) return null
          // The outermost element that sticks out: its parent still fits.
          const culprit = [...document.querySelectorAll('body *')].find(
            (e) =>
              e.getBoundingClientRect().right > width + 1 &&
              (e.parentElement?.getBoundingClientRect().right ?? 0) <= width + 1,
          )
          return `${document.documentElement.scrollWidth}px: ${culprit?.tagName} ${culprit?.className} ${culprit?.textContent?.slice(0, 40)}`
        })
        if (wide) overflows.push(`${name} (${theme}) ${wide}`)
      }
      const file = `${ARTIFACTS}${name}-${size}-${theme}.png`
      await page.screenshot({ path: file, fullPage: true })
      files.push(file)
    }
  }
  await page.evaluate(() => {
    localStorage.setItem('soba.theme', 'light')
    document.documentElement.dataset.theme = 'light'
  })
  if (original) await page.setViewportSize(original)
  return files
}

/** Every console error and uncaught exception of a page, for step 6. */
export function watchErrors(context: BrowserContext): string[] {
  const errors: string[] = []
  context.on('page', (page) => track(page, errors))
  return errors
}

export function track(page: Page, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`))
}

/** "1,234.5678" as the page shows it (en-US) to base units, exactly. */
export function shownToUnits(text: string, decimals: number): bigint {
  const match = /([\d,]+(?:\.\d+)?)/.exec(text)
  if (!match) throw new Error(`no amount in "${text}"`)
  return parseUnits(match[1]!.replaceAll(',', ''), decimals)
}
