import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isLocalHost, isLocalOrigin } from './local-origin.js'
import type { Eip1193 } from './rpc.js'

export interface RpcServerOptions {
  provider: Eip1193
  host: string
  port: number
  /** Called after each executed method (e.g. to wake the indexer after a mined transaction). */
  onMethod?: (method: string) => void
  maxBodyBytes?: number
  /** Host names accepted besides the local ones (e.g. a LAN address the node is bound to). */
  allowedHosts?: readonly string[]
}

export interface RpcServer {
  url: string
  close(): Promise<void>
}

interface RpcRequest {
  jsonrpc?: unknown
  id?: unknown
  method?: unknown
  params?: unknown
}

type RpcResponse = {
  jsonrpc: '2.0'
  id: unknown
  result?: unknown
  error?: { code: number; message: string; data?: unknown }
}

const CORS_HEADERS = {
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '86400',
  vary: 'origin',
}

/** CORS headers for an allowed origin (reflected, never `*`); none for requests without one. */
const corsFor = (origin: string | undefined) =>
  origin ? { ...CORS_HEADERS, 'access-control-allow-origin': origin } : CORS_HEADERS

const validId = (id: unknown) => id === null || typeof id === 'string' || typeof id === 'number'

function errorOf(error: unknown): { code: number; message: string; data?: unknown } {
  const e = error as { code?: unknown; message?: unknown; data?: unknown }
  return {
    code: typeof e?.code === 'number' ? e.code : -32603,
    message: typeof e?.message === 'string' ? e.message : 'Internal error',
    ...(e?.data !== undefined ? { data: e.data } : {}),
  }
}

/**
 * Serves an in-process provider as JSON-RPC over HTTP. Mends what EDR gets wrong for wallets and
 * batching clients: requests without `params` are given `[]`, and every answer is rebuilt here
 * with `jsonrpc` and the caller's `id`.
 */
export async function startRpcServer(options: RpcServerOptions): Promise<RpcServer> {
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024
  const bindHost = options.host.toLowerCase()
  const extraHosts = [
    ...(options.allowedHosts ?? []).map((h) => h.toLowerCase()),
    // Bound to a specific address: requests naming it are for us (a wildcard bind names nothing).
    ...(bindHost === '0.0.0.0' || bindHost === '::' ? [] : [bindHost]),
  ]

  async function execute(request: RpcRequest): Promise<RpcResponse | null> {
    const id = request?.id
    const isNotification = request !== null && typeof request === 'object' && !('id' in request)
    if (
      request === null ||
      typeof request !== 'object' ||
      typeof request.method !== 'string' ||
      (!isNotification && !validId(id)) ||
      (request.params !== undefined && typeof request.params !== 'object')
    ) {
      return {
        jsonrpc: '2.0',
        id: validId(id) ? id : null,
        error: { code: -32600, message: 'Invalid Request' },
      }
    }
    let response: RpcResponse
    try {
      const result = await options.provider.request({
        method: request.method,
        params: (request.params ?? []) as unknown[],
      })
      response = { jsonrpc: '2.0', id: id ?? null, result: result ?? null }
    } catch (error) {
      response = { jsonrpc: '2.0', id: id ?? null, error: errorOf(error) }
    }
    options.onMethod?.(request.method)
    return isNotification ? null : response
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin
    if (!isLocalHost(req.headers.host, extraHosts) || (origin !== undefined && !isLocalOrigin(origin))) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('only local pages and hosts may use this node')
      return
    }
    const cors = corsFor(origin)
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end()
      return
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { ...cors, allow: 'POST, OPTIONS' }).end()
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > maxBody) {
        res.writeHead(413, cors).end()
        req.destroy()
        return
      }
      chunks.push(chunk as Buffer)
    }
    let body: unknown
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    } catch {
      return reply(res, cors, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })
    }
    if (Array.isArray(body)) {
      if (body.length === 0) {
        return reply(res, cors, {
          jsonrpc: '2.0',
          id: null,
          error: { code: -32600, message: 'Invalid Request' },
        })
      }
      // Sequential on purpose: a batch of transactions must keep its order (nonces).
      const answers: RpcResponse[] = []
      for (const request of body) {
        const answer = await execute(request as RpcRequest)
        if (answer) answers.push(answer)
      }
      return answers.length > 0 ? reply(res, cors, answers) : void res.writeHead(204, cors).end()
    }
    const answer = await execute(body as RpcRequest)
    return answer ? reply(res, cors, answer) : void res.writeHead(204, cors).end()
  }

  function reply(res: ServerResponse, headers: Record<string, string>, payload: unknown): void {
    const json = JSON.stringify(payload, (_key, value) =>
      typeof value === 'bigint' ? `0x${value.toString(16)}` : value,
    )
    res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(json)
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
