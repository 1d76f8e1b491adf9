import { readFileSync } from 'node:fs'
import { keccak256 } from 'viem'
import { describe, expect, it } from 'vitest'
import { compileAll, compilePair, readSources, type SourceMap } from '../scripts/compile.js'
import { PAIR_INIT_CODE_HASH, SobaFactory, SobaPair, SobaRouter } from '../src/generated/artifacts.js'
import * as paris from '../src/generated/artifacts-paris.js'

/** The sources with `edit` applied to the files the pair is built from. */
function editPairSources(sources: SourceMap, edit: (content: string) => string): SourceMap {
  const edited = { ...sources }
  for (const name of ['core/SobaPair.sol', 'core/SobaERC20.sol', 'core/ReentrancyLock.sol']) {
    edited[name] = { content: edit(sources[name]!.content) }
  }
  return edited
}

describe('the committed build output', () => {
  it('matches a fresh compile of both builds with the pinned solc (same check as npm run check-build)', async () => {
    for (const [path, content] of (await compileAll()).files) {
      expect(readFileSync(path, 'utf8'), path).toBe(content)
    }
  }, 480_000)

  it('derives each init code hash from the compiled pair and bakes it into that build’s router', () => {
    for (const build of [{ PAIR_INIT_CODE_HASH, SobaPair, SobaRouter }, paris]) {
      expect(build.PAIR_INIT_CODE_HASH).toBe(keccak256(build.SobaPair.bytecode))
      expect(build.SobaRouter.bytecode).toContain(build.PAIR_INIT_CODE_HASH.slice(2))
    }
    expect(paris.PAIR_INIT_CODE_HASH).not.toBe(PAIR_INIT_CODE_HASH)
  })
})

describe('the pair’s init code hash depends on its code only', () => {
  it('stays the same when comments and blank lines are added to every file the pair is built from', async () => {
    const commented = editPairSources(
      readSources('cancun'),
      (content) => `${content}\n// A comment that says nothing about the code.\n\n/* and another */\n`,
    )
    expect(keccak256(await compilePair('cancun', commented))).toBe(PAIR_INIT_CODE_HASH)
  }, 240_000)

  it('changes when the code changes (the comparison above can tell builds apart)', async () => {
    const changed = editPairSources(readSources('cancun'), (content) =>
      content.replace('MINIMUM_LIQUIDITY = 10 ** 3', 'MINIMUM_LIQUIDITY = 10 ** 4'),
    )
    expect(changed['core/SobaPair.sol']!.content).toContain('10 ** 4')
    expect(keccak256(await compilePair('cancun', changed))).not.toBe(PAIR_INIT_CODE_HASH)
  }, 240_000)

  it('carries no CBOR metadata trailer (solc version, IPFS or Swarm hash)', () => {
    // A trailer ends with its own length as two bytes; `a2 64 69 70 66 73` starts an ipfs entry.
    for (const bytecode of [SobaPair.bytecode, SobaFactory.bytecode, SobaRouter.bytecode]) {
      expect(bytecode).not.toContain('a264697066735822')
      expect(bytecode).not.toContain('64736f6c6343') // "dsolcC": the solc version entry
    }
    expect(SobaFactory.bytecode).toContain(SobaPair.bytecode.slice(2)) // the factory embeds the exact pair
  })
})
