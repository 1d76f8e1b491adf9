import { isIP } from 'node:net'

/**
 * Address ranges a webhook must never reach: a customer-supplied URL pointing inside our network
 * (loopback, RFC 1918, link-local, cloud metadata, ...) would turn the deliverer into an SSRF
 * proxy. IPv6 forms that embed an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by the IPv4
 * address they carry, so `[::ffff:169.254.169.254]` is the metadata service it names.
 */

interface Range {
  bytes: number[]
  bits: number
  label: string
}

const V4: [string, number, string][] = [
  // exact cloud metadata endpoints first, so the refusal names them
  ['169.254.169.254', 32, 'cloud metadata'],
  ['169.254.170.2', 32, 'cloud metadata (ECS task)'],
  ['100.100.100.200', 32, 'cloud metadata (Alibaba)'],
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'shared address space (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private (RFC 1918)'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
]

const V6: [string, number, string][] = [
  ['fd00:ec2::254', 128, 'cloud metadata (AWS IPv6)'],
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  // ::/96 minus the two above: deprecated IPv4-compatible addresses
  ['::', 96, 'IPv4-compatible (deprecated)'],
  ['64:ff9b:1::', 48, 'local-use NAT64'],
  ['100::', 64, 'discard-only'],
  ['2001::', 23, 'IETF protocol assignments (Teredo, ...)'],
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'unique local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local (deprecated)'],
  ['ff00::', 8, 'multicast'],
]

const v4Ranges: Range[] = V4.map(([address, bits, label]) => ({ bytes: parseIPv4(address)!, bits, label }))
const v6Ranges: Range[] = V6.map(([address, bits, label]) => ({ bytes: parseIPv6(address)!, bits, label }))

/** An allowed exception (WEBHOOK_ALLOWED_CIDRS), e.g. `127.0.0.1/32` for a local test receiver. */
export interface Cidr {
  bytes: number[]
  bits: number
}

export function parseCidr(text: string): Cidr {
  const [address = '', bitsText] = text.trim().split('/')
  const bytes = parseIPv4(address) ?? parseIPv6(address)
  if (!bytes) throw new Error(`not an IP address in CIDR "${text}"`)
  const max = bytes.length * 8
  const bits = bitsText === undefined ? max : Number(bitsText)
  if (!Number.isInteger(bits) || bits < 0 || bits > max)
    throw new Error(`bad prefix length in CIDR "${text}"`)
  return { bytes, bits }
}

/** The label of the forbidden range `address` falls in, or undefined when it is a public address. */
export function forbiddenRange(address: string, allowed: readonly Cidr[] = []): string | undefined {
  const bytes = parseIPv4(address) ?? parseIPv6(address)
  if (!bytes) return 'not an IP address'
  if (allowed.some((cidr) => matches(bytes, cidr))) return undefined
  if (bytes.length === 4) return v4Ranges.find((range) => matches(bytes, range))?.label
  const embedded = embeddedIPv4(bytes)
  if (embedded) {
    if (allowed.some((cidr) => matches(embedded.v4, cidr))) return undefined
    const label = v4Ranges.find((range) => matches(embedded.v4, range))?.label
    return label ? `${label}, inside ${embedded.form}` : undefined
  }
  return v6Ranges.find((range) => matches(bytes, range))?.label
}

/** IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::) addresses. */
function embeddedIPv4(bytes: number[]): { v4: number[]; form: string } | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0)
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff)
    return { v4: bytes.slice(12), form: 'IPv4-mapped IPv6' }
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12))
    return { v4: bytes.slice(12), form: 'NAT64 IPv6' }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return { v4: bytes.slice(2, 6), form: '6to4 IPv6' }
  return undefined
}

function matches(bytes: number[], range: Cidr): boolean {
  if (bytes.length !== range.bytes.length) return false
  let bits = range.bits
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff
    if ((bytes[i]! & mask) !== (range.bytes[i]! & mask)) return false
  }
  return true
}

export function parseIPv4(text: string): number[] | undefined {
  if (isIP(text) !== 4) return undefined
  return text.split('.').map(Number)
}

/** 16 bytes of an IPv6 address (zone id dropped, a trailing dotted quad allowed). */
export function parseIPv6(text: string): number[] | undefined {
  let address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  if (isIP(address) !== 6) return undefined
  // a trailing dotted quad (::ffff:1.2.3.4) becomes its two hex groups
  address = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    [(Number(a) << 8) | Number(b), (Number(c) << 8) | Number(d)].map((g) => g.toString(16)).join(':'),
  )
  const [left = '', right] = address.split('::')
  const parse = (part: string) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : [])
  const l = parse(left)
  const r = right === undefined ? [] : parse(right)
  const groups = right === undefined ? l : [...l, ...Array(8 - l.length - r.length).fill(0), ...r]
  if (groups.length !== 8 || groups.some((g) => Number.isNaN(g) || g < 0 || g > 0xffff)) return undefined
  return groups.flatMap((g) => [g >> 8, g & 0xff])
}
