// The one file that knows about EDR (Hardhat's in-process EVM). Everything else talks
// EIP-1193 `request()` or JSON-RPC messages, so this engine can be swapped.
//
// EDR quirks mended here:
//   - it rejects requests without `params` ("missing field `params`"): we default to [];
//   - its answers carry neither `id` nor `jsonrpc`: we copy them from the request;
//   - reverts come as code -32000 with `data: {reason, data}`: we answer like geth
//     (code 3, "execution reverted: <reason>", data = the revert bytes), which viem
//     and ethers decode into the contract's error;
//   - parse errors echo the whole request as `data`: dropped.
import {
  ContractDecoder,
  EdrContext,
  L1_CHAIN_TYPE,
  l1GenesisState,
  l1HardforkFromString,
  l1HardforkLatest,
  l1HardforkToString,
  l1ProviderFactory,
  MineOrdering,
  type Provider,
  SpecId,
} from '@nomicfoundation/edr'
import { mnemonicToSeedSync } from '@scure/bip39'
import { bytesToHex, type Hex, hexToBytes } from 'viem'
import { HDKey, hdKeyToAccount, privateKeyToAddress } from 'viem/accounts'

/** The well-known development mnemonic (Hardhat, Anvil): wallets and docs recognise its accounts. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk'

export interface EdrChainOptions {
  chainId?: number
  /** How many dev accounts to derive from DEV_MNEMONIC (default 10), or explicit private keys. */
  accounts?: number | Hex[]
  /** Balance of each dev account in wei (default 10,000 ether). */
  accountBalance?: bigint
  blockGasLimit?: bigint
  /** Mine a block per transaction (default true). When false, use `evm_mine`. */
  automine?: boolean
  /** Hardfork name as EDR spells it ("Merge", "Shanghai", "Cancun", "Prague", "Osaka"); default:
   *  the latest EDR knows. The default build of the contracts needs Cancun (transient storage,
   *  EIP-1153); before Cancun, deploy the `paris` build (`deploySoba(chain, { build: 'paris' })`). */
  hardfork?: string
  /** Genesis block time in seconds since the epoch (default: now). */
  genesisTimestamp?: bigint
  /** Allow several blocks with the same timestamp (useful when mining faster than 1 block/s). */
  allowBlocksWithSameTimestamp?: boolean
}

export interface RequestArguments {
  method: string
  params?: readonly unknown[] | object
}

/** Error thrown by `request()`: the JSON-RPC error, with code and data kept for viem to decode. */
export class RpcError extends Error {
  readonly code: number
  readonly data: unknown
  constructor(error: { code: number; message: string; data?: unknown }) {
    super(error.message)
    this.name = 'RpcError'
    this.code = error.code
    this.data = error.data
  }
}

export interface JsonRpcRequest {
  jsonrpc?: string
  id?: string | number | null
  method: string
  params?: unknown
}

export interface JsonRpcResponse {
  jsonrpc: '2.0'
  id: string | number | null
  result?: unknown
  error?: { code: number; message: string; data?: unknown }
}

export interface DevAccount {
  address: Hex
  privateKey: Hex
}

export interface EdrChain {
  readonly chainId: number
  readonly accounts: readonly DevAccount[]
  /** EIP-1193: resolves with the result or throws RpcError. */
  request(args: RequestArguments): Promise<unknown>
  /** One JSON-RPC message or a batch, answered as a spec-conforming response (for an HTTP wrapper). */
  handle(message: JsonRpcRequest): Promise<JsonRpcResponse>
  handle(message: JsonRpcRequest[]): Promise<JsonRpcResponse[]>
}

// One EdrContext per process: EDR documents its constructor as "should only be called once".
let context: Promise<EdrContext> | undefined
function edrContext(): Promise<EdrContext> {
  context ??= (async () => {
    const ctx = new EdrContext()
    await ctx.registerProviderFactory(L1_CHAIN_TYPE, l1ProviderFactory())
    return ctx
  })()
  return context
}

// The seed costs a 2,048-round PBKDF2: derive it once per process, not once per account.
let devMaster: HDKey | undefined
function devAccounts(spec: number | Hex[]): DevAccount[] {
  if (Array.isArray(spec)) {
    return spec.map((privateKey) => ({ privateKey, address: privateKeyToAddress(privateKey) }))
  }
  devMaster ??= HDKey.fromMasterSeed(mnemonicToSeedSync(DEV_MNEMONIC))
  const master = devMaster
  return Array.from({ length: spec }, (_, addressIndex) => {
    const account = hdKeyToAccount(master, { addressIndex })
    const key = account.getHdKey().privateKey
    if (!key) throw new Error('HD derivation gave no private key')
    return { address: account.address, privateKey: bytesToHex(key) }
  })
}

function normalizeError(error: { code: number; message: string; data?: unknown }): JsonRpcResponse['error'] {
  const { code, message, data } = error
  if (!data || typeof data !== 'object')
    return data === undefined || data === null ? { code, message } : error
  const revert = (data as { reason?: { Revert?: unknown } }).reason?.Revert
  if (typeof revert === 'string') {
    const reason = /^reverted with reason string '(.*)'$/s.exec(message)?.[1]
    return {
      code: 3,
      message: reason === undefined ? 'execution reverted' : `execution reverted: ${reason}`,
      data: revert,
    }
  }
  // Halts (out of gas, invalid opcode, ...) keep EDR's message, as geth does; the request echo is dropped.
  return { code, message }
}

export async function createEdrChain(options: EdrChainOptions = {}): Promise<EdrChain> {
  const chainId = options.chainId ?? 31337
  const accounts = devAccounts(options.accounts ?? 10)
  const balance = options.accountBalance ?? 10_000n * 10n ** 18n
  const blockGasLimit = options.blockGasLimit ?? 60_000_000n
  const hardforkId = options.hardfork ? l1HardforkFromString(options.hardfork) : l1HardforkLatest()
  if (hardforkId < SpecId.Merge)
    throw new Error(
      `hardfork ${options.hardfork} predates the Merge (Paris), the oldest EVM the contracts are built for`,
    )
  // Osaka caps a transaction at 2^24 gas (EIP-7825); default calls to what the block and the cap allow.
  const txGasCap = 16_777_216n
  const ctx = await edrContext()
  const provider: Provider = await ctx.createProvider(
    L1_CHAIN_TYPE,
    {
      allowBlocksWithSameTimestamp: options.allowBlocksWithSameTimestamp ?? false,
      allowUnlimitedContractSize: false,
      bailOnCallFailure: true,
      bailOnTransactionFailure: false,
      chainId: BigInt(chainId),
      coinbase: hexToBytes('0xc014ba5ec014ba5ec014ba5ec014ba5ec014ba5e'),
      defaultTransactionGasLimit: blockGasLimit < txGasCap ? blockGasLimit : txGasCap,
      genesisState: [
        ...l1GenesisState(hardforkId),
        ...accounts.map((a) => ({ address: hexToBytes(a.address), balance })),
      ],
      hardfork: l1HardforkToString(hardforkId),
      initialBaseFeePerGas: 1_000_000_000n,
      minGasPrice: 0n,
      mining: {
        autoMine: options.automine ?? true,
        blockGasLimit,
        memPool: { order: MineOrdering.Priority },
      },
      network: {
        genesisBlockGasLimit: blockGasLimit,
        genesisBlockTime: options.genesisTimestamp ?? BigInt(Math.floor(Date.now() / 1000)),
      },
      networkId: BigInt(chainId),
      observability: {},
      ownedAccounts: accounts.map((a) => a.privateKey),
      precompileOverrides: [],
    },
    { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => {} },
    { subscriptionCallback: () => {} },
    new ContractDecoder(),
  )

  async function handleOne(message: JsonRpcRequest): Promise<JsonRpcResponse> {
    const id = message?.id ?? null
    if (typeof message !== 'object' || message === null || typeof message.method !== 'string') {
      return { jsonrpc: '2.0', id, error: { code: -32600, message: 'Invalid Request' } }
    }
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: id ?? 0,
      method: message.method,
      params: message.params ?? [],
    })
    const raw = (await provider.handleRequest(body)).data
    const answer = typeof raw === 'string' ? JSON.parse(raw) : raw
    if (answer.error) return { jsonrpc: '2.0', id, error: normalizeError(answer.error) }
    return { jsonrpc: '2.0', id, result: answer.result }
  }

  let nextId = 1
  const chain: EdrChain = {
    chainId,
    accounts,
    async request({ method, params }) {
      const response = await handleOne({ jsonrpc: '2.0', id: nextId++, method, params: params ?? [] })
      if (response.error) throw new RpcError(response.error)
      return response.result
    },
    handle: (async (message: JsonRpcRequest | JsonRpcRequest[]) => {
      if (!Array.isArray(message)) return handleOne(message)
      // In order, one at a time: a batch may send a transaction and then read its receipt.
      const responses: JsonRpcResponse[] = []
      for (const one of message) responses.push(await handleOne(one))
      return responses
    }) as EdrChain['handle'],
  }
  return chain
}
