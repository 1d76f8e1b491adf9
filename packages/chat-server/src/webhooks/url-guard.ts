import type { LookupAddress } from 'node:dns'
import { lookup as dnsLookup } from 'node:dns'
import { isIP, type LookupFunction } from 'node:net'
import type { ChatConfig } from '../config.js'
import { HttpProblem } from '../shared/problems.js'
import { type Cidr, forbiddenRange, parseCidr } from './address-ranges.js'

/** What a webhook URL may be: https (http only when allowed), resolving only to public addresses. */
export interface WebhookUrlPolicy {
  allowHttp: boolean
  /** Explicit exceptions to the forbidden ranges (a local receiver in tests, an internal relay). */
  allowed: Cidr[]
  /** Resolves a host name to every address (injectable for tests). */
  resolve: (host: string) => Promise<LookupAddress[]>
}

export const systemResolve = (host: string): Promise<LookupAddress[]> =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  )

export function webhookUrlPolicy(
  config: Pick<ChatConfig, 'NODE_ENV' | 'WEBHOOK_ALLOW_HTTP' | 'WEBHOOK_ALLOWED_CIDRS'>,
  resolve = systemResolve,
): WebhookUrlPolicy {
  return {
    // http is for local development; anywhere else it must be asked for explicitly
    allowHttp: config.WEBHOOK_ALLOW_HTTP ?? config.NODE_ENV === 'development',
    allowed: config.WEBHOOK_ALLOWED_CIDRS.split(',')
      .map((c) => c.trim())
      .filter(Boolean)
      .map(parseCidr),
    resolve,
  }
}

/** Why a URL or address is refused; `code` is stable API (422 at registration, last_error at delivery). */
export class WebhookTargetError extends Error {
  constructor(
    readonly code: 'webhook_url_insecure' | 'webhook_url_forbidden' | 'webhook_url_unresolvable',
    message: string,
  ) {
    super(message)
    this.name = 'WebhookTargetError'
  }
}

/** The scheme and a literal IP host are checked without DNS; returns the host to resolve, if any. */
function checkShape(url: URL, policy: WebhookUrlPolicy): string | undefined {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    throw new WebhookTargetError(
      'webhook_url_insecure',
      policy.allowHttp ? 'webhook URL must be http or https' : 'webhook URL must use https',
    )
  }
  if (url.username || url.password) {
    // credentials in the URL would be stored and logged in clear; use the signing secret instead
    throw new WebhookTargetError('webhook_url_forbidden', 'webhook URL must not carry credentials')
  }
  // WHATWG URL parsing already turned 0x7f.1, 2130706433 and friends into dotted quads
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(host)) {
    checkAddress(host, policy)
    return undefined
  }
  return host
}

function checkAddress(address: string, policy: WebhookUrlPolicy): void {
  const range = forbiddenRange(address, policy.allowed)
  if (range) {
    throw new WebhookTargetError(
      'webhook_url_forbidden',
      `webhook target ${address} is in a forbidden range (${range})`,
    )
  }
}

/**
 * Registration-time check: every address the host resolves to must be allowed (one private
 * answer among public ones is how a rebinding attacker would get in later).
 */
export async function assertWebhookUrl(raw: string, policy: WebhookUrlPolicy): Promise<void> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new WebhookTargetError('webhook_url_forbidden', 'webhook URL is not a valid URL')
  }
  const host = checkShape(url, policy)
  if (host === undefined) return
  let addresses: LookupAddress[]
  try {
    addresses = await policy.resolve(host)
  } catch (error) {
    throw new WebhookTargetError(
      'webhook_url_unresolvable',
      `webhook host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    )
  }
  if (addresses.length === 0)
    throw new WebhookTargetError('webhook_url_unresolvable', `webhook host ${host} has no address`)
  for (const { address } of addresses) checkAddress(address, policy)
}

/** The same check as a route answer: 422 problem+json with the stable code. */
export async function assertWebhookUrlForRoute(raw: string, policy: WebhookUrlPolicy): Promise<void> {
  try {
    await assertWebhookUrl(raw, policy)
  } catch (error) {
    if (error instanceof WebhookTargetError) throw new HttpProblem(422, error.code, error.message)
    throw error
  }
}

/**
 * Delivery-time check. The URL is checked again (config may have changed since registration),
 * and the socket's own DNS lookup goes through the policy: the addresses that are checked are
 * the addresses connected to, so a name that rebinds to 127.0.0.1 after registration is caught
 * on the connection itself, with no window between check and use.
 */
export function guardedTarget(raw: string, policy: WebhookUrlPolicy): { url: URL; lookup: LookupFunction } {
  const url = new URL(raw)
  checkShape(url, policy)
  const lookup: LookupFunction = (hostname, options, callback) => {
    policy.resolve(hostname).then(
      (addresses) => {
        try {
          if (addresses.length === 0)
            throw new WebhookTargetError('webhook_url_unresolvable', `${hostname} has no address`)
          for (const { address } of addresses) checkAddress(address, policy)
        } catch (error) {
          callback(error as NodeJS.ErrnoException, '', 4)
          return
        }
        const family = typeof options === 'number' ? options : options?.family
        const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses
        if (usable.length === 0) {
          callback(
            new WebhookTargetError('webhook_url_unresolvable', `${hostname} has no IPv${family} address`),
            '',
            4,
          )
          return
        }
        if ((options as { all?: boolean })?.all) (callback as any)(null, usable)
        else callback(null, usable[0]!.address, usable[0]!.family)
      },
      (error) => callback(error as NodeJS.ErrnoException, '', 4),
    )
  }
  return { url, lookup }
}
