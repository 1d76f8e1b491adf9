import { describe, expect, it } from 'vitest'
import { forbiddenRange, parseCidr, parseIPv6 } from './address-ranges.js'

// Every forbidden range, in each way an address can be written, and the public neighbours that
// must stay reachable. The label is checked so a refusal names the right range.
const FORBIDDEN: [string, RegExp][] = [
  // IPv4
  ['0.0.0.0', /this network/],
  ['10.0.0.1', /private/],
  ['10.255.255.255', /private/],
  ['100.64.0.1', /CGNAT/],
  ['100.100.100.200', /metadata \(Alibaba\)/],
  ['127.0.0.1', /loopback/],
  ['127.255.255.254', /loopback/],
  ['169.254.0.1', /link-local/],
  ['169.254.169.254', /cloud metadata/],
  ['169.254.170.2', /metadata \(ECS/],
  ['172.16.0.1', /private/],
  ['172.31.255.255', /private/],
  ['192.0.0.170', /IETF/],
  ['192.0.2.1', /documentation/],
  ['192.168.1.1', /private/],
  ['198.18.0.1', /benchmarking/],
  ['224.0.0.1', /multicast/],
  ['255.255.255.255', /reserved/],
  // IPv6
  ['::', /unspecified/],
  ['::1', /loopback/],
  ['0:0:0:0:0:0:0:1', /loopback/],
  ['fe80::1', /link-local/],
  ['fe80::1%eth0', /link-local/],
  ['fc00::1', /unique local/],
  ['fd12:3456::1', /unique local/],
  ['fd00:ec2::254', /metadata \(AWS IPv6\)/],
  ['fec0::1', /site-local/],
  ['ff02::1', /multicast/],
  ['2001:db8::1', /documentation/],
  ['2001::1', /Teredo/],
  ['100::1', /discard/],
  ['64:ff9b:1::1', /local-use NAT64/],
  ['::7f00:1', /IPv4-compatible/],
  // IPv4-mapped IPv6, dotted and hex, judged by the IPv4 address inside
  ['::ffff:127.0.0.1', /loopback, inside IPv4-mapped/],
  ['::ffff:7f00:1', /loopback, inside IPv4-mapped/],
  ['0:0:0:0:0:ffff:a9fe:a9fe', /cloud metadata, inside IPv4-mapped/],
  ['::ffff:10.0.0.1', /private.*IPv4-mapped/],
  ['::ffff:192.168.0.1', /private.*IPv4-mapped/],
  ['[::ffff:169.254.169.254]', /cloud metadata, inside IPv4-mapped/],
  // NAT64 and 6to4 carry an IPv4 address too
  ['64:ff9b::10.0.0.1', /private.*NAT64/],
  ['64:ff9b::7f00:1', /loopback.*NAT64/],
  ['2002:c0a8:0101::1', /private.*6to4/],
  ['2002:7f00:0001::', /loopback.*6to4/],
]

const PUBLIC = [
  '1.1.1.1',
  '8.8.8.8',
  '93.184.216.34',
  '100.63.255.255',
  '100.128.0.1',
  '172.15.255.255',
  '172.32.0.1',
  '192.169.0.1',
  '169.253.255.255',
  '2606:4700:4700::1111',
  '2a00:1450:4001:80b::200e',
  '::ffff:8.8.8.8',
  '64:ff9b::8.8.8.8',
  '2002:0808:0808::1',
]

describe('forbidden webhook address ranges', () => {
  it.each(FORBIDDEN)('refuses %s', (address, label) => {
    expect(forbiddenRange(address)).toMatch(label)
  })

  it.each(PUBLIC)('allows the public address %s', (address) => {
    expect(forbiddenRange(address)).toBeUndefined()
  })

  it('refuses what is not an IP address at all', () => {
    expect(forbiddenRange('localhost')).toBe('not an IP address')
    expect(forbiddenRange('1.2.3')).toBe('not an IP address')
  })

  it('lets explicit CIDR exceptions through, and only those', () => {
    const allowed = [parseCidr('127.0.0.1/32'), parseCidr('fd00:1234::/32')]
    expect(forbiddenRange('127.0.0.1', allowed)).toBeUndefined()
    // the IPv4 exception also covers the IPv4-mapped form of that address
    expect(forbiddenRange('::ffff:127.0.0.1', allowed)).toBeUndefined()
    expect(forbiddenRange('127.0.0.2', allowed)).toMatch(/loopback/)
    expect(forbiddenRange('fd00:1234::5', allowed)).toBeUndefined()
    expect(forbiddenRange('fd00:1235::5', allowed)).toMatch(/unique local/)
    expect(forbiddenRange('::1', allowed)).toMatch(/loopback/)
  })

  it('rejects malformed CIDRs instead of allowing everything', () => {
    expect(() => parseCidr('127.0.0.1/33')).toThrow(/prefix/)
    expect(() => parseCidr('nope/8')).toThrow(/not an IP/)
  })

  it('parses every IPv6 spelling to the same bytes', () => {
    const loopback = parseIPv6('::1')
    expect(parseIPv6('0:0:0:0:0:0:0:1')).toEqual(loopback)
    expect(parseIPv6('[::1]')).toEqual(loopback)
    expect(parseIPv6('::ffff:127.0.0.1')).toEqual(parseIPv6('::ffff:7f00:1'))
    expect(parseIPv6('1::2::3')).toBeUndefined()
  })
})
