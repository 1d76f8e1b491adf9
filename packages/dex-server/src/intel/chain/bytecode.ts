/**
 * Facts read straight from EVM bytecode, no ABI needed (the approach of whatsabi): the function
 * selectors of the dispatcher, whether the code can DELEGATECALL, and EIP-1167 minimal proxies.
 */

const PUSH1 = 0x60
const PUSH4 = 0x63
const PUSH32 = 0x7f
const DUP1 = 0x80
const DUP16 = 0x8f
const EQ = 0x14
const JUMPI = 0x57
const DELEGATECALL = 0xf4

interface Op {
  code: number
  /** Immediate of a PUSH, as hex without 0x. */
  push?: string
}

function disassemble(hex: string): Op[] {
  const bytes = hex.startsWith('0x') ? hex.slice(2) : hex
  const ops: Op[] = []
  for (let i = 0; i < bytes.length; i += 2) {
    const code = Number.parseInt(bytes.slice(i, i + 2), 16)
    if (code >= PUSH1 && code <= PUSH32) {
      const size = code - PUSH1 + 1
      ops.push({ code, push: bytes.slice(i + 2, i + 2 + size * 2) })
      i += size * 2
    } else {
      ops.push({ code })
    }
  }
  return ops
}

/**
 * Selectors compared in the dispatcher: `PUSH4 sel EQ … JUMPI`, optionally with a DUP between
 * (solc's `DUP1 PUSH4 sel EQ PUSH2 tag JUMPI`). Binary-search splits use GT/LT, not EQ, so
 * their pivots are not taken for selectors.
 */
export function selectorsOf(code: string): string[] {
  const ops = disassemble(code)
  const found = new Set<string>()
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Op
    if (op.code !== PUSH4 || op.push?.length !== 8) continue
    let j = i + 1
    if ((ops[j]?.code ?? 0) >= DUP1 && (ops[j]?.code ?? 0) <= DUP16) j++
    if (ops[j]?.code !== EQ) continue
    const jumpi = ops.slice(j + 1, j + 4).some((next) => next.code === JUMPI)
    if (jumpi && op.push !== 'ffffffff') found.add(`0x${op.push}`)
  }
  return [...found].sort()
}

export function hasDelegatecall(code: string): boolean {
  return disassemble(code).some((op) => op.code === DELEGATECALL)
}

const MINIMAL_PROXY = /^0x363d3d373d3d3d363d73([0-9a-f]{40})5af43d82803e903d91602b57fd5bf3$/i

/** The implementation of an EIP-1167 minimal proxy (clone), or null. */
export function minimalProxyTarget(code: string): string | null {
  const match = MINIMAL_PROXY.exec(code)
  return match ? `0x${(match[1] as string).toLowerCase()}` : null
}
