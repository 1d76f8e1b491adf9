// Reproducible compile of contracts/**/*.sol with the pinned solc-js, in two builds:
//   - `cancun` (the default): every contract; the pair's re-entrancy lock lives in
//     transient storage (EIP-1153), so it runs only on chains with Cancun or later;
//   - `paris`: the exchange (factory, pair, router, WETH9, and test tokens) for chains
//     without Cancun (nor Shanghai's PUSH0): compat/ReentrancyLock.sol, a storage flag, is compiled in
//     place of core/ReentrancyLock.sol, and solc targets the Paris EVM.
//
// Each build runs in two stages, because the router must know the hash of the pair it
// will address:
//   1. compile everything but periphery/ (core, tokens, test helpers); hash SobaPair's
//      creation code;
//   2. render contracts/generated/PairInitCode.sol with that hash and compile periphery/
//      (with the interfaces it imports) against it.
// Bytecode carries no metadata hash (and no CBOR trailer at all), so it depends only on
// the code, not on comments, whitespace or file paths: editing a comment in a file the
// pair imports leaves the init code hash alone. Stage 2 fails to compile, rather than
// silently recompiling the pair, if periphery/ imports core/.
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { keccak256 } from 'viem'

export const SOLC_VERSION = '0.8.37'
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
export const contractsDir = join(packageRoot, 'contracts')
export const generatedSolPath = join(contractsDir, 'generated', 'PairInitCode.sol')
export const artifactsPath = join(packageRoot, 'src', 'generated', 'artifacts.ts')
export const parisArtifactsPath = join(packageRoot, 'src', 'generated', 'artifacts-paris.ts')

/** Contracts exported to TypeScript by the default build, with the source file that defines each. */
const allContracts = {
  SobaFactory: 'core/SobaFactory.sol',
  SobaPair: 'core/SobaPair.sol',
  SobaRouter: 'periphery/SobaRouter.sol',
  WETH9: 'tokens/WETH9.sol',
  TestToken: 'tokens/TestToken.sol',
  FeeOnTransferToken: 'tokens/FeeOnTransferToken.sol',
  HostileToken: 'tokens/HostileToken.sol',
  FlashBorrower: 'test/FlashBorrower.sol',
  FailingToken: 'test/FailingToken.sol',
  EthRejecter: 'test/EthRejecter.sol',
  MathHarness: 'test/MathHarness.sol',
  TransferTaxProbe: 'lens/TransferTaxProbe.sol',
  TransferTaxMeter: 'lens/TransferTaxProbe.sol',
  HoneypotToken: 'tokens/HoneypotToken.sol',
  HoneypotProbe: 'intel/HoneypotProbe.sol',
  Erc1967Proxy: 'intel/Erc1967Proxy.sol',
} as const

/** The `paris` build: what a deployment of the exchange needs, and the tokens and flash
 *  borrower that tests on an old EVM need (the default build's use PUSH0 and MCOPY). */
const parisContracts = {
  SobaFactory: allContracts.SobaFactory,
  SobaPair: allContracts.SobaPair,
  SobaRouter: allContracts.SobaRouter,
  WETH9: allContracts.WETH9,
  TestToken: allContracts.TestToken,
  FeeOnTransferToken: allContracts.FeeOnTransferToken,
  FlashBorrower: allContracts.FlashBorrower,
} as const
const parisFiles = new Set([...Object.values(parisContracts), 'tokens/ERC20Core.sol'])

export const builds = {
  cancun: {
    evmVersion: 'cancun',
    contracts: allContracts,
    /** Source path -> the file compiled under that path instead. */
    substitutes: {},
    includes: (_name: string) => true,
  },
  paris: {
    evmVersion: 'paris',
    contracts: parisContracts,
    substitutes: { 'core/ReentrancyLock.sol': 'compat/ReentrancyLock.sol' },
    includes: (name: string) =>
      name.startsWith('core/') ||
      name.startsWith('interfaces/') ||
      name.startsWith('periphery/') ||
      parisFiles.has(name),
  },
} as const

export type BuildName = keyof typeof builds

/** Fixed compiler settings: changing any of these changes every bytecode and the init code hash. */
export function compilerSettings(build: BuildName) {
  return {
    evmVersion: builds[build].evmVersion,
    optimizer: { enabled: true, runs: 999_999 },
    // No metadata hash and no CBOR trailer: comments and paths must not move the init code hash.
    metadata: { bytecodeHash: 'none', appendCBOR: false },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  } as const
}

export type SourceMap = Record<string, { content: string }>
interface CompiledContract {
  abi: unknown[]
  bytecode: `0x${string}`
}

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return listSources(path)
      return entry.name.endsWith('.sol') ? [path] : []
    })
    .sort()
}

/** The sources of a build, keyed by path under contracts/, substitutes applied. The generated
 *  file and compat/ (only ever compiled as a substitute) are left out. */
export function readSources(build: BuildName): SourceMap {
  const { includes, substitutes } = builds[build]
  const sources: SourceMap = {}
  for (const path of listSources(contractsDir)) {
    const name = relative(contractsDir, path).split(sep).join('/')
    if (name === 'generated/PairInitCode.sol' || name.startsWith('compat/') || !includes(name)) continue
    const file = (substitutes as Record<string, string>)[name] ?? name
    sources[name] = { content: readFileSync(join(contractsDir, file), 'utf8') }
  }
  return sources
}

// solc-js compiles synchronously for tens of seconds on a busy machine; in a worker thread it
// leaves the caller's event loop free (vitest's worker RPC times out after 60 s without it).
const solcWorker = `
const { parentPort, workerData } = require('node:worker_threads')
const solc = require(workerData.solcPath)
parentPort.postMessage({ version: solc.version(), output: solc.compile(workerData.input) })
`
const solcPath = createRequire(import.meta.url).resolve('solc')

function compileInWorker(input: string): Promise<{ version: string; output: string }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(solcWorker, { eval: true, workerData: { solcPath, input } })
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`the solc worker exited with code ${code}`)))
  })
}

interface SolcRun {
  /** solc's long version, e.g. 0.8.37+commit.f401782d.Emscripten.clang */
  version: string
  contracts: Record<string, Record<string, CompiledContract>>
}

async function runSolc(build: BuildName, sources: SourceMap): Promise<SolcRun> {
  const input = { language: 'Solidity', sources, settings: compilerSettings(build) }
  const run = await compileInWorker(JSON.stringify(input))
  if (!run.version.startsWith(`${SOLC_VERSION}+`)) {
    throw new Error(`solc ${SOLC_VERSION} is required, found ${run.version}`)
  }
  const output = JSON.parse(run.output)
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === 'error')
  if (errors.length > 0) {
    throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n'))
  }
  const result: Record<string, Record<string, CompiledContract>> = {}
  for (const [file, contracts] of Object.entries<Record<string, any>>(output.contracts ?? {})) {
    result[file] = {}
    for (const [name, contract] of Object.entries<any>(contracts)) {
      result[file][name] = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` }
    }
  }
  return { version: run.version, contracts: result }
}

/** Stage 1: SobaPair's creation code, compiled from `sources` (all but periphery/ is used). */
export async function compilePair(
  build: BuildName,
  sources: SourceMap = readSources(build),
): Promise<`0x${string}`> {
  const withoutPeriphery = Object.fromEntries(
    Object.entries(sources).filter(([name]) => !name.startsWith('periphery/')),
  )
  const pair = (await runSolc(build, withoutPeriphery)).contracts['core/SobaPair.sol']?.SobaPair
  if (!pair) throw new Error('stage 1 produced no SobaPair')
  return pair.bytecode
}

export function renderPairInitCodeSol(hash: `0x${string}`): string {
  return `// SPDX-License-Identifier: GPL-3.0-or-later
// Generated by scripts/build.ts: keccak256 of SobaPair's creation code as compiled
// with the pinned solc and settings. Do not edit; run \`npm run compile -w @soba/contracts\`.
pragma solidity ^0.8.28;

library PairInitCode {
    bytes32 internal constant HASH = ${hash};
}
`
}

export interface BuildResult {
  build: BuildName
  pairInitCodeHash: `0x${string}`
  solcLongVersion: string
  contracts: Record<string, CompiledContract>
  /** Text of contracts/generated/PairInitCode.sol for this build */
  pairInitCodeSol: string
}

export async function compileBuild(build: BuildName): Promise<BuildResult> {
  const sources = readSources(build)
  const pairBytecode = await compilePair(build, sources)
  const pairInitCodeHash = keccak256(pairBytecode)
  const pairInitCodeSol = renderPairInitCodeSol(pairInitCodeHash)

  const { version, contracts: all } = await runSolc(build, {
    ...sources,
    'generated/PairInitCode.sol': { content: pairInitCodeSol },
  })
  const contracts: Record<string, CompiledContract> = {}
  for (const [name, file] of Object.entries(builds[build].contracts)) {
    const contract = all[file]?.[name]
    if (!contract) throw new Error(`${file} did not produce ${name} (${build} build)`)
    contracts[name] = contract
  }
  if (contracts.SobaPair?.bytecode !== pairBytecode) {
    throw new Error(
      `SobaPair bytecode differs between the two compile stages of the ${build} build; the init code hash would be stale`,
    )
  }
  return { build, pairInitCodeHash, solcLongVersion: version, contracts, pairInitCodeSol }
}

/** Both builds, and every generated file as [path, content]: what `npm run compile` writes
 *  and `check-build` compares. */
export async function compileAll(): Promise<{ results: BuildResult[]; files: [string, string][] }> {
  const [cancun, paris] = await Promise.all([compileBuild('cancun'), compileBuild('paris')])
  return {
    results: [cancun, paris],
    files: [
      // Only the default build's hash is committed as Solidity; the paris one lives in its artifacts.
      [generatedSolPath, cancun.pairInitCodeSol],
      [artifactsPath, renderArtifacts(cancun)],
      [parisArtifactsPath, renderArtifacts(paris)],
    ],
  }
}

function renderArtifacts(result: BuildResult): string {
  const lines = [
    `// Generated by packages/dex-contracts/scripts/build.ts (the ${result.build} build) from contracts/**/*.sol.`,
    '// Do not edit; run `npm run compile -w @soba/contracts`. `npm run check-build` fails when this file is stale.',
    '',
    `export const compiler = ${JSON.stringify({ version: result.solcLongVersion, settings: compilerSettings(result.build) })} as const`,
    '',
    '/** keccak256 of SobaPair creation code: pair = CREATE2(factory, keccak256(token0 ++ token1), hash). */',
    `export const PAIR_INIT_CODE_HASH = '${result.pairInitCodeHash}' as const`,
    '',
  ]
  for (const [name, contract] of Object.entries(result.contracts)) {
    lines.push(
      `export const ${name} = {`,
      `  contractName: '${name}',`,
      `  abi: ${JSON.stringify(contract.abi)},`,
      `  bytecode: '${contract.bytecode}',`,
      '} as const',
      '',
    )
  }
  return lines.join('\n')
}
