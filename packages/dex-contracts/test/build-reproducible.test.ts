import { readFileSync } from 'node:fs'
import { keccak256 } from 'viem'
import { describe, expect, it } from 'vitest'
import { artifactsPath, compileAll, generatedSolPath } from '../scripts/compile.js'
import { PAIR_INIT_CODE_HASH, SobaPair, SobaRouter } from '../src/generated/artifacts.js'

describe('the committed build output', () => {
  it('matches a fresh compile with the pinned solc (same check as npm run check-build)', () => {
    const fresh = compileAll()
    expect(readFileSync(generatedSolPath, 'utf8')).toBe(fresh.pairInitCodeSol)
    expect(readFileSync(artifactsPath, 'utf8')).toBe(fresh.artifactsTs)
  }, 180_000)

  it('derives the init code hash from the compiled pair and bakes it into the router bytecode', () => {
    expect(PAIR_INIT_CODE_HASH).toBe(keccak256(SobaPair.bytecode))
    expect(SobaRouter.bytecode).toContain(PAIR_INIT_CODE_HASH.slice(2))
  })
})
