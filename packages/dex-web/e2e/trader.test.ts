import type { DexServer } from '@soba/dex-server/main'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { type Address, encodeFunctionData, parseAbi } from 'viem'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  ARTIFACTS,
  deployThirdToken,
  launchChromium,
  overflows,
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
  afterEach(async (context) => {
    // A failed step leaves a picture of the page and what its status regions said.
    if (context.task.result?.state !== 'fail' || !page) return
    await page.screenshot({ path: `${ARTIFACTS}failed-${context.task.name.slice(0, 2)}.png`, fullPage: true })
    console.error('status regions:', await page.getByRole('status').allTextContents())
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

  it('quotes exact output from a link: the amount received is fixed, the most sold is shown', async () => {
    await page.goto(
      `${server.url}/swap?inputCurrency=ETH&outputCurrency=USDC&exactAmount=100&exactField=output`,
    )
    await expect.poll(() => page.getByRole('textbox', { name: 'You receive' }).inputValue()).toBe('100')
    await expect
      .poll(() => page.getByRole('textbox', { name: 'You pay' }).inputValue(), { timeout: 20_000 })
      .toMatch(/^0\.0\d+/)
    expect(await detail('Maximum sold').textContent()).toMatch(/^0\.0\d+ ETH$/)
    expect(
      await page.getByRole('region', { name: 'Trade details' }).getByText('Minimum received').count(),
    ).toBe(0)
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
    // TRD trades only against USDC: WETH reaches it through USDC (directly, or via a pool that pays more).
    expect(await detail('Route').textContent()).toMatch(/^WETH → (\w+ → )?USDC → TRD$/)
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

  it('3. adds liquidity to a pool, sees the position in Portfolio, removes half of it', async () => {
    const account = server.deps.chain.devAccounts[DEV_ACCOUNT]!
    const position = async () => {
      const reply = await (await fetch(`${server.url}/v1/wallet/${account}/positions`)).json()
      return reply.positions as Array<{ pool: string; liquidity: string }>
    }
    const pools = await (await fetch(`${server.url}/v1/pools`)).json()
    const pool = pools.pools.find(
      (p: { tokens: Array<{ symbol: string }> }) =>
        p.tokens
          .map((t) => t.symbol)
          .sort()
          .join() === 'USDC,WETH',
    ).address as string
    await page.goto(`${server.url}/pools/${pool}`)
    await page.getByRole('textbox', { name: 'Amount of ETH' }).fill('1')
    const add = page.getByRole('button', { name: /^(Approve and add liquidity|Add liquidity)$/ })
    await expect.poll(() => add.isEnabled(), { timeout: 20_000 }).toBe(true)
    await expect
      .poll(() => page.getByText(/Your share of the pool after this deposit/).textContent())
      .toMatch(/\d%/)
    await add.click()
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Liquidity added' }).count(), {
        timeout: 30_000,
      })
      .toBe(1)
    // The position is read from the index, a block behind the receipt at most.
    let added = 0n
    await expect
      .poll(async () => (added = BigInt((await position()).find((p) => p.pool === pool)?.liquidity ?? '0')), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0n)

    await page.getByRole('link', { name: 'Portfolio' }).click()
    const positions = page.getByRole('list', { name: 'Liquidity positions' })
    await expect
      .poll(() => positions.getByRole('link', { name: /^(WETH\/USDC|USDC\/WETH)$/ }).count(), {
        timeout: 20_000,
      })
      .toBe(1)
    await expect
      .poll(
        () =>
          page
            .getByRole('list', { name: 'Account history' })
            .getByText(/Added \d/)
            .count(),
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0)
    // Step 2's multi-hop swap is one entry: the first hop's WETH in, the last hop's token out.
    await expect
      .poll(
        () =>
          page
            .getByRole('list', { name: 'Account history' })
            .getByText(/Swapped 1 WETH for [\d.,]+ TRD \([23] hops\)/)
            .count(),
        { timeout: 20_000 },
      )
      .toBe(1)
    // Step 1 paid native ETH: the pair saw WETH (the router wrapped it), the history says ETH.
    await expect
      .poll(
        () =>
          page
            .getByRole('list', { name: 'Account history' })
            .getByText(/Swapped 0\.1 ETH for [\d.,]+ USDC/)
            .count(),
        { timeout: 20_000 },
      )
      .toBe(1)
    await shoot(page, 'portfolio')
    // On a phone the balances table fits its card: nothing of it is scrolled out of sight (the
    // values once carried their unit and pushed the Value column past the card's edge).
    await page.setViewportSize(VIEWPORTS.mobile)
    await page.getByRole('columnheader', { name: /^Value/ }).waitFor()
    const hidden = await page
      .getByRole('table')
      .first()
      .evaluate((table) => {
        const scroller = table.parentElement as HTMLElement
        return scroller.scrollWidth - scroller.clientWidth
      })
    expect(hidden, 'px of the balances table scrolled out of sight at 390 px').toBeLessThanOrEqual(0)
    await page.setViewportSize(VIEWPORTS.desktop)

    await positions.getByRole('link', { name: /^(WETH\/USDC|USDC\/WETH)$/ }).click()
    const remove = page.getByRole('button', { name: 'Remove 50%' })
    await expect.poll(() => remove.isEnabled(), { timeout: 20_000 }).toBe(true)
    await remove.click()
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Liquidity removed' }).count(), {
        timeout: 40_000,
      })
      .toBe(1)
    await expect
      .poll(async () => BigInt((await position()).find((p) => p.pool === pool)?.liquidity ?? '0'), {
        timeout: 10_000,
      })
      .toBe(added - (added * 50n) / 100n)
  })

  it('5. signs in with Ethereum and adds a token to the watchlist', async () => {
    await page.getByRole('link', { name: 'Account' }).click()
    await page.getByRole('button', { name: 'Sign in with Ethereum' }).click()
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Signed in as' }).count(), { timeout: 20_000 })
      .toBe(1)
    await page.getByRole('combobox', { name: 'Token to watch' }).selectOption({ label: 'SOBA' })
    await page.getByRole('button', { name: 'Add to watchlist' }).click()
    const watched = page.getByRole('list', { name: 'Watched tokens' })
    await expect.poll(() => watched.getByText('SOBA', { exact: true }).count(), { timeout: 10_000 }).toBe(1)
    await shoot(page, 'account')
  })

  it('4. a swap the market moves past a 0.01% slippage fails with the reason and leaves balances alone', async () => {
    const rpc = rpcOf(server)
    await page.goto(`${server.url}/swap?inputCurrency=USDC&outputCurrency=DAI&exactAmount=1000`)
    await page.getByRole('button', { name: 'Transaction settings' }).click()
    await page.getByRole('textbox', { name: 'Custom slippage, percent' }).fill('0.01')
    await expect.poll(() => page.getByRole('dialog').getByRole('status').textContent()).toMatch(/may fail/)
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
    const swap = page.getByRole('button', { name: 'Swap', exact: true })
    await expect.poll(() => swap.isEnabled(), { timeout: 20_000 }).toBe(true)
    expect(await detail('Max slippage').textContent()).toBe('0.01%')
    const usdc = await shownBalance(payField(), 6)
    const dai = await shownBalance(receiveField(), 18)

    // Hold the next block, let the trader's swap into the mempool, then a bigger one in front of it.
    await rpc('evm_setIntervalMining', [0])
    try {
      await swap.click()
      await expect.poll(() => status().textContent(), { timeout: 20_000 }).toMatch(/pending/)
      const whale = server.deps.chain.devAccounts[9]!
      const tokens = Object.fromEntries(server.deps.chain.tokens.map((t) => [t.symbol, t.address]))
      // Front-run along the page's own route, so every pool the trader's swap crosses moves.
      const path = ((await detail('Route').textContent()) ?? '').split(' → ').map((symbol) => tokens[symbol]!)
      const data = encodeFunctionData({
        abi: parseAbi([
          'function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline) returns (uint256[])',
        ]),
        functionName: 'swapExactTokensForTokens',
        args: [200_000n * 10n ** 6n, 0n, path, whale, 2n ** 64n],
      })
      await rpc('eth_sendTransaction', [
        {
          from: whale,
          to: server.deps.chain.contracts.router,
          data,
          gas: '0x7a120',
          maxPriorityFeePerGas: '0xba43b7400',
          maxFeePerGas: '0x174876e800',
        },
      ])
      await rpc('evm_mine')
    } finally {
      await rpc('evm_setIntervalMining', [1000])
    }
    await expect
      .poll(() => status().textContent(), { timeout: 30_000 })
      .toMatch(/Swap failed: The price moved beyond your slippage tolerance\./)
    await shoot(page, 'swap-failed')
    await page.waitForTimeout(2_500)
    expect(await shownBalance(payField(), 6)).toBe(usdc)
    expect(await shownBalance(receiveField(), 18)).toBe(dai)
  })

  it('6. logged no console error and threw no uncaught exception', () => {
    expect(errors).toEqual([])
  })

  it('fits every page it visited into a 390 px wide screen', () => {
    expect(overflows).toEqual([])
  })
})
