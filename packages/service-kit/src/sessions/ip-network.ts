import { isIPv4, isIPv6 } from 'node:net'

/**
 * The network an address belongs to for change detection: /24 for IPv4, /48 for IPv6 (a
 * typical site allocation). A move inside the network (DHCP, privacy addresses) is normal; a
 * move across networks is a signal. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) counts as IPv4.
 */
export function ipNetwork(ip: string): string | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  const address = mapped ? mapped[1]! : ip
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`
  if (isIPv6(address)) return `${expandIPv6(address).slice(0, 3).join(':')}::/48`
  return undefined
}

function expandIPv6(address: string): string[] {
  const withoutZone = address.split('%')[0]!
  const [head, tail] = withoutZone.split('::') as [string, string | undefined]
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const missing = tail === undefined ? 0 : 8 - left.length - right.length
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) =>
    group.toLowerCase().replace(/^0+(?=.)/, ''),
  )
}
