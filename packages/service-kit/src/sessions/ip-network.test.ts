import { describe, expect, it } from 'vitest'
import { ipNetwork } from './ip-network.js'

describe('ip networks for change detection', () => {
  it.each([
    ['192.168.1.7', '192.168.1.0/24'],
    ['::ffff:192.168.1.7', '192.168.1.0/24'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
    ['2001:0db8:00ab::', '2001:db8:ab::/48'],
    ['2001:db8::1', '2001:db8:0::/48'],
    ['fe80::1%eth0', 'fe80:0:0::/48'],
  ])('%s is in %s', (ip, network) => {
    expect(ipNetwork(ip)).toBe(network)
  })

  it('puts neighbours in one network and strangers in another', () => {
    expect(ipNetwork('10.1.2.3')).toBe(ipNetwork('10.1.2.250'))
    expect(ipNetwork('10.1.2.3')).not.toBe(ipNetwork('10.1.3.3'))
    expect(ipNetwork('2001:db8:1:ffff::9')).toBe(ipNetwork('2001:db8:1:1::1'))
    expect(ipNetwork('2001:db8:1::')).not.toBe(ipNetwork('2001:db8:2::'))
  })

  it('ignores what is not an address', () => {
    expect(ipNetwork('unknown')).toBeUndefined()
  })
})
