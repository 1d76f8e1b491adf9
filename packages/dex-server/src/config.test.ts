import { randomBytes } from 'node:crypto'
import { ConfigError } from '@platform/service-kit/config'
import { describe, expect, it } from 'vitest'
import { loadDexConfig } from './config.js'

const production = {
  NODE_ENV: 'production',
  SESSION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  CHAIN_RPC_URL: 'https://rpc.example.org',
  FACTORY_ADDRESS: `0x${'1'.repeat(40)}`,
  ROUTER_ADDRESS: `0x${'2'.repeat(40)}`,
  WETH_ADDRESS: `0x${'3'.repeat(40)}`,
  SIWE_DOMAINS: 'dex.example.org',
}

const issuesOf = (env: Record<string, string | undefined>) => {
  try {
    loadDexConfig(env)
    return []
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    return error.issues.map((i) => i.variable)
  }
}

describe('production configuration', () => {
  it('starts with a remote chain and named SIWE domains', () => {
    expect(issuesOf(production)).toEqual([])
  })

  it('refuses the embedded chain (its RPC holds unlocked dev accounts), naming CHAIN_RPC_URL', () => {
    expect(issuesOf({ ...production, CHAIN_RPC_URL: undefined })).toContain('CHAIN_RPC_URL')
  })

  it('refuses to trust the request Host for sign-in, naming SIWE_DOMAINS', () => {
    expect(issuesOf({ ...production, SIWE_DOMAINS: '' })).toContain('SIWE_DOMAINS')
    expect(issuesOf({ ...production, SIWE_DOMAINS: undefined })).toContain('SIWE_DOMAINS')
  })

  it('development keeps both defaults: embedded chain, Host-bound sign-in', () => {
    expect(issuesOf({ NODE_ENV: 'development' })).toEqual([])
  })
})
