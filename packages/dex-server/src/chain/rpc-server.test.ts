import { request as httpRequest } from 'node:http'
import { createEdrChain, type EdrChain } from '@soba/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RpcServer, startRpcServer } from './rpc-server.js'

let chain: EdrChain
let server: RpcServer
const methods: string[] = []

beforeAll(async () => {
  chain = await createEdrChain()
  server = await startRpcServer({
    provider: chain,
    host: '127.0.0.1',
    port: 0,
    onMethod: (m) => methods.push(m),
  })
})
afterAll(async () => {
  await server?.close()
})

const post = async (body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { res, json: (res.status === 200 ? await res.json() : null) as any }
}

describe('embedded JSON-RPC endpoint', () => {
  it('accepts requests without params and answers with jsonrpc and the caller id', async () => {
    const { json } = await post({ jsonrpc: '2.0', id: 'a-1', method: 'eth_chainId' })
    expect(json).toEqual({ jsonrpc: '2.0', id: 'a-1', result: '0x7a69' })
  })

  it('answers batches in order, errors included', async () => {
    const { json } = await post([
      { jsonrpc: '2.0', id: 1, method: 'eth_blockNumber' },
      { jsonrpc: '2.0', id: 2, method: 'no_such_method', params: [] },
      { jsonrpc: '2.0', id: 3, method: 'eth_chainId', params: [] },
      { id: 4 },
    ])
    expect(json.map((r: any) => r.id)).toEqual([1, 2, 3, 4])
    expect(json[0].result).toMatch(/^0x[0-9a-f]+$/)
    expect(json[1].error.code).toBeTypeOf('number')
    expect(json[2].result).toBe('0x7a69')
    expect(json[3].error.code).toBe(-32600)
    expect(json.every((r: any) => r.jsonrpc === '2.0')).toBe(true)
  })

  it('signs eth_sendTransaction for unlocked dev accounts', async () => {
    const accounts = (await post({ jsonrpc: '2.0', id: 1, method: 'eth_accounts' })).json.result
    expect(accounts).toHaveLength(10)
    const sent = await post({
      jsonrpc: '2.0',
      id: 2,
      method: 'eth_sendTransaction',
      params: [{ from: accounts[0], to: accounts[1], value: '0x1' }],
    })
    const receipt = await post({
      jsonrpc: '2.0',
      id: 3,
      method: 'eth_getTransactionReceipt',
      params: [sent.json.result],
    })
    expect(receipt.json.result.status).toBe('0x1')
    expect(receipt.json.result.from).toBe(accounts[0].toLowerCase())
    expect(methods).toContain('eth_sendTransaction')
  })

  it('lets pages served from this machine in with CORS, reflecting their origin', async () => {
    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    const { res } = await post(
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId' },
      { origin: 'http://127.0.0.1:3000' },
    )
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000')
  })

  it("lets a wallet extension's background page in (MetaMask calls the RPC from it)", async () => {
    for (const origin of ['chrome-extension://nkbihfbeogaeaoehlefnkodbefgpgknn', 'moz-extension://4b1c']) {
      const preflight = await fetch(server.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      })
      expect(preflight.status).toBe(204)
      const { res, json } = await post({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }, { origin })
      expect(res.headers.get('access-control-allow-origin')).toBe(origin)
      expect(json.result).toBe(`0x${chain.chainId.toString(16)}`)
    }
    // a web page cannot pose as one: only the scheme counts, and pages cannot set it
    const { res } = await post(
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId' },
      { origin: 'https://chrome-extension.example' },
    )
    expect(res.status).toBe(403)
  })

  it('refuses a foreign web page: no preflight, no call, no wildcard', async () => {
    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(403)
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    const before = methods.length
    const { res } = await post(
      { jsonrpc: '2.0', id: 1, method: 'hardhat_setBalance', params: ['0x' + '1'.repeat(40), '0x1'] },
      { origin: 'http://app.example' },
    )
    expect(res.status).toBe(403)
    expect(methods.length).toBe(before)
  })

  it('refuses a DNS-rebinding request (a foreign name in Host, even from this machine)', async () => {
    const { port } = new URL(server.url)
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, method: 'POST', headers: { host, 'content-type': 'application/json' } },
          (res) => {
            res.resume()
            resolve(res.statusCode ?? 0)
          },
        )
        req.on('error', reject)
        req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_accounts' }))
      })
    expect(await status(`rebind.attacker.example:${port}`)).toBe(403)
    expect(await status(`localhost:${port}`)).toBe(200)
    expect(await status(`127.0.0.1:${port}`)).toBe(200)
  })

  it('reports parse errors and invalid requests the JSON-RPC way', async () => {
    expect((await post('{"jsonrpc":')).json).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'Parse error' },
    })
    expect((await post([])).json.error.code).toBe(-32600)
    expect((await post({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: 'x' })).json.error.code).toBe(
      -32600,
    )
    const notification = await post({ jsonrpc: '2.0', method: 'eth_chainId' })
    expect(notification.res.status).toBe(204)
    expect((await fetch(server.url)).status).toBe(405)
  })
})
