import type { DexServer } from '@soba/dex-server/main'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  deployThirdToken,
  launchChromium,
  rpcOf,
  shoot,
  shownToUnits,
  startServer,
  track,
  VIEWPORTS,
} from './harness.js'

/**
 * The browser test, as a trader would do it, against a real dex-server on its embedded
 * chain with the market simulator trading. Steps share one browser page and run in order.
 */
describe('a trader in Chromium', () => {
  let server: DexServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let third: Address
  const errors: string[] = []
  const DEV_ACCOUNT = 8

  beforeAll(async () => {
    server = await startServer()
    browser = await launchChromium()
    context = await browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'en-US' })
    page = await context.newPage()
    track(page, errors)
    // Account 9 plays the token issuer (and, in step 4, the trader who moves the market).
    third = await deployThirdToken(server, server.deps.chain.devAccounts[9]!)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  const receiveField = () => page.getByRole('group', { name: 'You receive' })
  const payField = () => page.getByRole('group', { name: 'You pay' })
  const status = () => page.getByRole('status').filter({ hasText: /./ }).last()
  const detail = (term: string) =>
    page.getByRole('region', { name: 'Trade details' }).locator(`dt:text-is("${term}") + dd`)
  const shownBalance = async (field: ReturnType<typeof payField>, decimals: number) =>
    shownToUnits((await field.getByText(/^Balance:/).textContent()) ?? '', decimals)

  it('1. connects the Dev wallet and swaps 0.1 ETH for USDC from a swap link', async () => {
    await page.goto(`${server.url}/swap?inputCurrency=ETH&outputCurrency=USDC&exactAmount=0.1`)
    await expect.poll(() => page.getByRole('textbox', { name: 'You pay' }).inputValue()).toBe('0.1')
    await page.getByRole('button', { name: 'Connect wallet' }).click()
    await page.getByRole('button', { name: `Dev wallet (account ${DEV_ACCOUNT})` }).click()
    const swap = page.getByRole('button', { name: 'Swap', exact: true })
    await expect.poll(() => swap.isEnabled(), { timeout: 20_000 }).toBe(true)
    const before = await shownBalance(receiveField(), 6)
    const minimum = shownToUnits((await detail('Minimum received').textContent()) ?? '', 6)
    expect(minimum).toBeGreaterThan(0n)
    expect(await detail('Priced at block').textContent()).toMatch(/\d/)
    await swap.click()
    await expect.poll(() => status().textContent(), { timeout: 30_000 }).toMatch(/Swap confirmed/)
    const link = await status().getByRole('link', { name: 'View transaction' }).getAttribute('href')
    const hash = link?.split('/').pop() ?? ''
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/)
    await expect
      .poll(async () => (await shownBalance(receiveField(), 6)) - before, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(minimum)
    await shoot(page, 'swap-confirmed')

    await page.getByRole('link', { name: 'Pools' }).click()
    await page
      .getByRole('link', { name: 'WETH/USDC' })
      .or(page.getByRole('link', { name: 'USDC/WETH' }))
      .first()
      .click()
    const recent = page.getByRole('list', { name: 'Recent swaps' })
    await expect
      .poll(() => recent.locator(`a[href="/tx/${hash}"]`).count(), { timeout: 20_000 })
      .toBeGreaterThan(0)
    await shoot(page, 'pool')
    await page.getByRole('link', { name: '← All pools' }).click()
    await page.getByRole('table').waitFor()
    await shoot(page, 'pools')
  })

  it('2. swaps WETH for an imported token through a two-hop route, approving WETH first', async () => {
    const rpc = rpcOf(server)
    const weth = server.deps.chain.contracts.weth
    const account = server.deps.chain.devAccounts[DEV_ACCOUNT]!
    // The seed approves the router for every dev account: take that back so the page must ask.
    const approveZero = `0x095ea7b3${server.deps.chain.contracts.router.slice(2).padStart(64, '0')}${'0'.repeat(64)}`
    await rpc('eth_sendTransaction', [{ from: account, to: weth, data: approveZero }])

    await page.goto(`${server.url}/swap?inputCurrency=WETH&outputCurrency=${third}&exactAmount=1`)
    const importRegion = page.getByRole('region', { name: 'Import token' })
    await expect
      .poll(() => importRegion.getByRole('alert').textContent(), { timeout: 20_000 })
      .toMatch(/not on the Soba token list/)
    await shoot(page, 'import-warning')
    const importButton = importRegion.getByRole('button', { name: 'Import TRD' })
    expect(await importButton.isDisabled()).toBe(true)
    await importRegion.getByRole('checkbox', { name: 'I understand the risk' }).check()
    await importButton.click()

    const approve = page.getByRole('button', { name: 'Approve WETH' })
    await expect.poll(() => approve.isEnabled(), { timeout: 20_000 }).toBe(true)
    expect(await detail('Route').textContent()).toBe('WETH → USDC → TRD')
    await page.getByRole('radio', { name: "Exactly this trade's amount" }).check()
    const before = await shownBalance(receiveField(), 18)
    await approve.click()
    await expect.poll(() => status().textContent(), { timeout: 30_000 }).toMatch(/Approval confirmed/)
    const swap = page.getByRole('button', { name: 'Swap', exact: true })
    await expect.poll(() => swap.isEnabled(), { timeout: 20_000 }).toBe(true)
    const minimum = shownToUnits((await detail('Minimum received').textContent()) ?? '', 18)
    await swap.click()
    await expect.poll(() => status().textContent(), { timeout: 30_000 }).toMatch(/Swap confirmed/)
    await expect
      .poll(async () => (await shownBalance(receiveField(), 18)) - before, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(minimum)
  })

  it('6. logged no console error and threw no uncaught exception', () => {
    expect(errors).toEqual([])
  })
})
