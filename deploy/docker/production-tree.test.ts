/**
 * The images' final stage, without a Docker engine: assemble each server's production tree the way
 * the Dockerfile does (deploy/docker/assemble-runtime.sh: `npm ci --omit=dev` plus the compiled
 * output), then run the Dockerfile's own CMD with its ENV, NODE_ENV=production and the required
 * secrets, as an unprivileged user that cannot write to the tree (the read-only root file system).
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEdrChain, deployUniswapV2 } from '@soba/contracts'
import { type RpcServer, startRpcServer } from '@soba/dex-server/chain/rpc-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  freePort,
  productionSecret,
  type ScratchDatabase,
  scratchDatabase,
  startServer,
} from '../test-support/processes.js'
import { readRuntimeStage } from './dockerfile.js'

const repoRoot = join(import.meta.dirname, '..', '..')
const NOBODY = 65534

/**
 * Production never runs the embedded chain: the DEX gets a chain over CHAIN_RPC_URL, here an EDR
 * node in this process with Uniswap v2 deployed, as a real node with deployed contracts would be.
 */
let chainRpc: RpcServer
let chainContracts: Awaited<ReturnType<typeof deployUniswapV2>>

const secretsFor: Record<'chat-server' | 'dex-server', () => NodeJS.ProcessEnv> = {
  'chat-server': () => ({ ADMIN_API_KEY: productionSecret(), FILE_URL_SECRET: productionSecret() }),
  'dex-server': () => ({
    SESSION_KEYS: `k1:${Buffer.from(productionSecret(32), 'base64url').subarray(0, 32).toString('base64')}`,
    SIWE_DOMAINS: 'app.example.com',
    CHAIN_RPC_URL: chainRpc.url,
    FACTORY_ADDRESS: chainContracts.factory,
    ROUTER_ADDRESS: chainContracts.router,
    WETH_ADDRESS: chainContracts.weth,
  }),
}

beforeAll(async () => {
  execFileSync('npx', ['tsx', 'scripts/build-servers.ts'], { cwd: repoRoot, stdio: 'pipe' })
  const node = await createEdrChain({ allowBlocksWithSameTimestamp: true })
  chainRpc = await startRpcServer({ provider: node, host: '127.0.0.1', port: 0 })
  chainContracts = await deployUniswapV2(node)
}, 120_000)
afterAll(() => chainRpc?.close())

describe.each(['chat-server', 'dex-server'] as const)('%s image', (server) => {
  const stage = readRuntimeStage(server)
  let tree: string
  let database: ScratchDatabase

  beforeAll(async () => {
    tree = mkdtempSync(join(tmpdir(), `${server}-tree-`))
    // mkdtemp makes the folder private; the unprivileged user must be able to read the tree.
    chmodSync(tree, 0o755)
    execFileSync('bash', ['deploy/docker/assemble-runtime.sh', server, tree], {
      cwd: repoRoot,
      stdio: 'pipe',
    })
    database = await scratchDatabase(server.replace('-', '_'))
  }, 240_000)
  afterAll(async () => {
    await database?.drop()
    if (tree) rmSync(tree, { recursive: true, force: true })
  })

  it('declares the runtime contract: non-root user, tini as PID 1, a health check, OCI labels', () => {
    expect(stage.user).not.toMatch(/^(root|0)(:|$)/)
    expect(stage.entrypoint).toEqual(['/usr/bin/tini', '--'])
    expect(stage.healthcheck).toContain('/app/healthcheck.mjs')
    expect(stage.env.NODE_ENV).toBe('production')
    for (const label of ['title', 'version', 'revision', 'source']) {
      expect(stage.labels).toContain(`org.opencontainers.image.${label}`)
    }
  })

  it('holds production dependencies only and compiled JavaScript, no TypeScript sources', () => {
    expect(existsSync(join(tree, 'node_modules', 'fastify'))).toBe(true)
    // typescript itself stays in the DEX tree: viem and abitype declare it as an optional peer,
    // which npm installs with the production dependencies.
    for (const devOnly of ['vitest', 'tsx', '@biomejs/biome', 'solc']) {
      expect(existsSync(join(tree, 'node_modules', devOnly)), devOnly).toBe(false)
    }
    expect(existsSync(join(tree, 'packages', server, 'src'))).toBe(false)
    expect(existsSync(join(tree, stage.cmd.at(-1) as string))).toBe(true)
  })

  it('starts from the CMD in production mode, answers health checks, and drains on SIGTERM', async () => {
    const [port, rpcPort] = [await freePort(), await freePort()]
    const [command, ...args] = stage.cmd as [string, ...string[]]
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ...stage.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      RPC_PORT: String(rpcPort),
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      ...secretsFor[server](),
    }
    const running = await startServer({
      command,
      args,
      cwd: tree,
      env,
      readyUrl: `http://127.0.0.1:${port}/health/ready`,
      timeoutMs: 90_000,
      ...(process.getuid?.() === 0 ? { uid: NOBODY } : {}),
    })
    try {
      // The HEALTHCHECK command, as Docker runs it inside the container.
      execFileSync('node', [join(repoRoot, 'deploy/docker/healthcheck.mjs')], { env: { ...env } })
    } finally {
      expect(await running.stop('SIGTERM')).toBe(0)
    }
    expect(running.output()).not.toMatch(/EACCES|EROFS/)
  }, 120_000)
})
