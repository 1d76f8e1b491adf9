import { createPublicClient, createWalletClient, custom, encodeFunctionData, parseEther } from 'viem'
import { describe, expect, it } from 'vitest'
import { deploySoba } from '../deploy.js'
import { SobaRouter } from '../generated/artifacts.js'
import { createEdrChain, RpcError } from './edr.js'

describe('EDR chain adapter', () => {
  it('answers requests without params, and stamps jsonrpc and id on every answer', async () => {
    const chain = await createEdrChain({ chainId: 1337 })
    expect(await chain.request({ method: 'eth_chainId' })).toBe('0x539')
    expect(await chain.handle({ jsonrpc: '2.0', id: 'a-1', method: 'net_version' })).toEqual({
      jsonrpc: '2.0',
      id: 'a-1',
      result: '1337',
    })
  })

  it('answers a batch in order, one error not spoiling the rest', async () => {
    const chain = await createEdrChain()
    const wallet = chain.accounts[0]!.address
    const answers = await chain.handle([
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'eth_sendTransaction',
        params: [{ from: wallet, to: wallet, value: '0x1' }],
      },
      { jsonrpc: '2.0', id: 2, method: 'eth_blockNumber' },
      { jsonrpc: '2.0', id: 3, method: 'no_such_method', params: [] },
      { jsonrpc: '2.0', id: 4 } as never,
    ])
    expect(answers.map((a) => a.id)).toEqual([1, 2, 3, 4])
    expect(answers[1]!.result).toBe('0x1') // the transaction of the same batch was mined first
    expect(answers[2]!.error?.message).toMatch(/not supported/)
    expect(answers[3]!.error).toEqual({ code: -32600, message: 'Invalid Request' })
  })

  it('reports reverts like geth (code 3, reason in the message, revert bytes as data)', async () => {
    const chain = await createEdrChain()
    const { router } = await deploySoba(chain)
    const data = encodeFunctionData({ abi: SobaRouter.abi, functionName: 'quote', args: [0n, 1n, 1n] })
    const error = (await chain.request({ method: 'eth_call', params: [{ to: router, data }, 'latest'] }).then(
      () => undefined,
      (e: unknown) => e,
    )) as RpcError
    expect(error).toBeInstanceOf(RpcError)
    expect(error.code).toBe(3)
    expect(error.message).toBe('execution reverted: SobaV2Library: INSUFFICIENT_AMOUNT')
    expect(error.data).toMatch(/^0x08c379a0/)
  })

  it('funds the well-known dev accounts and signs for them', async () => {
    const chain = await createEdrChain({ accounts: 2, accountBalance: parseEther('5') })
    expect(chain.accounts.map((a) => a.address)).toEqual([
      '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
      '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    ])
    const transport = custom(chain)
    const publicClient = createPublicClient({ transport })
    expect(await publicClient.getBalance({ address: chain.accounts[1]!.address })).toBe(parseEther('5'))
    const walletClient = createWalletClient({ transport, account: chain.accounts[0]!.address })
    const hash = await walletClient.sendTransaction({
      to: chain.accounts[1]!.address,
      value: 7n,
      chain: null,
    })
    expect((await publicClient.getTransactionReceipt({ hash })).status).toBe('success')
    expect(await publicClient.getBalance({ address: chain.accounts[1]!.address })).toBe(parseEther('5') + 7n)
  })

  it('runs on a chosen hardfork, the Merge or later', async () => {
    const chain = await createEdrChain({ hardfork: 'Cancun' })
    await deploySoba(chain)
    const merge = await createEdrChain({ hardfork: 'Merge' })
    await deploySoba(merge, { build: 'paris' })
    await expect(createEdrChain({ hardfork: 'London' })).rejects.toThrow(/predates the Merge/)
  })

  it('leaves transactions pending until evm_mine when automine is off', async () => {
    const chain = await createEdrChain({ automine: false })
    const from = chain.accounts[0]!.address
    await chain.request({ method: 'eth_sendTransaction', params: [{ from, to: from, value: '0x1' }] })
    expect(await chain.request({ method: 'eth_blockNumber' })).toBe('0x0')
    await chain.request({ method: 'evm_mine' })
    expect(await chain.request({ method: 'eth_blockNumber' })).toBe('0x1')
  })

  it('deploys through viem clients as well as through a bare provider', async () => {
    const chain = await createEdrChain()
    const transport = custom(chain)
    const deployment = await deploySoba({
      walletClient: createWalletClient({ transport, account: chain.accounts[1]!.address }),
      publicClient: createPublicClient({ transport }),
    })
    expect(deployment.deployer).toBe(chain.accounts[1]!.address)
    const code = await createPublicClient({ transport }).getCode({ address: deployment.router })
    expect(code && code.length > 2).toBe(true)
  })
})
