/**
 * The embedded chain's RPC holds unlocked dev accounts, so only this machine may drive it: a web
 * page elsewhere must not (CORS), and neither may a DNS-rebinding page whose hostname resolves to
 * 127.0.0.1 (its requests carry its own hostname in Host, which is not a local name).
 */
const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

/** The hostname of a Host header value (`name`, `name:port`, `[v6]:port`), lower-cased. */
function hostname(host: string): string {
  const value = host.trim().toLowerCase()
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1)
  const colon = value.indexOf(':')
  return colon === -1 ? value : value.slice(0, colon)
}

const isLocalName = (name: string) => LOCAL_NAMES.has(name) || name.endsWith('.localhost')

/** True when a request's Host header names this machine (or a host the operator allowed). */
export function isLocalHost(host: string | undefined, extraHosts: readonly string[] = []): boolean {
  if (!host) return false
  const name = hostname(host)
  return isLocalName(name) || extraHosts.includes(name)
}

/**
 * Browser extensions: a wallet (MetaMask, Rabby) calls the RPC from its own background page, whose
 * Origin is the extension's. No web page can send that Origin, and an extension the person
 * installed already acts with their authority, so it may use the dev chain like a local page.
 */
const EXTENSION_SCHEMES = new Set(['chrome-extension:', 'moz-extension:', 'safari-web-extension:'])

/**
 * True when a browser Origin is a page served from this machine (any port, http or https) or an
 * installed browser extension.
 */
export function isLocalOrigin(origin: string): boolean {
  try {
    const url = new URL(origin)
    if (EXTENSION_SCHEMES.has(url.protocol)) return true
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLocalName(url.hostname)
  } catch {
    return false
  }
}
