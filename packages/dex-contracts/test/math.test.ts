import { createPublicClient, createWalletClient, custom, maxUint256 } from 'viem'
import { expect, it } from 'vitest'
import { createEdrChain } from '../src/chain/edr.js'
import { MathHarness } from '../src/generated/artifacts.js'
import { mulberry32, randomBigInt, sqrt } from './fixture.js'

it('Math.sqrt is the exact floor square root across the uint256 range', async () => {
  const chain = await createEdrChain({ accounts: 1 })
  const transport = custom(chain)
  const publicClient = createPublicClient({ transport })
  const wallet = createWalletClient({ transport, account: chain.accounts[0]!.address })
  const hash = await wallet.deployContract({
    abi: MathHarness.abi,
    bytecode: MathHarness.bytecode,
    chain: null,
  })
  const harness = (await publicClient.getTransactionReceipt({ hash })).contractAddress!

  // Every power of two and its neighbours, squares and their neighbours, and random values.
  const inputs = new Set<bigint>([0n, 1n, 2n, 3n, 4n, maxUint256])
  for (let k = 0n; k < 256n; k++) {
    for (const y of [2n ** k - 1n, 2n ** k, 2n ** k + 1n]) if (y <= maxUint256) inputs.add(y)
    const root = 2n ** (k / 2n) + k
    for (const y of [root * root - 1n, root * root, root * root + 1n]) inputs.add(y)
  }
  const rand = mulberry32(42)
  for (let i = 0; i < 400; i++)
    inputs.add(randomBigInt(rand, 0n, 2n ** BigInt(1 + Math.floor(rand() * 256)) - 1n))
  inputs.add((2n ** 128n - 1n) ** 2n)
  inputs.add((2n ** 128n - 1n) ** 2n - 1n)

  const ys = [...inputs]
  const zs = (await publicClient.readContract({
    address: harness,
    abi: MathHarness.abi,
    functionName: 'sqrtMany',
    args: [ys],
  })) as readonly bigint[]
  expect(zs.map(String)).toEqual(ys.map((y) => String(sqrt(y))))
})
