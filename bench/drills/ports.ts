import { createServer } from 'node:net'

/**
 * Loopback ports for the drills' own clusters, proxies and servers: below Linux's ephemeral range
 * (32768-60999, where any outgoing connection may take a port between the probe and the bind)
 * and apart from the deploy tests' 26000-31999. Each drill asks for a block that is free right
 * now, so a PostgreSQL left behind by an interrupted run (or a second run) is stepped around,
 * not collided with.
 */
const RANGE = { first: 20000, last: 25999 }

const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })

/** The first port of `size` consecutive ports that nothing listens on. */
export async function freePortBlock(size: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = RANGE.first + Math.floor(Math.random() * (RANGE.last - RANGE.first - size))
    let free = true
    for (let port = base; port < base + size && free; port++) free = await isFree(port)
    if (free) return base
  }
  throw new Error(`no ${size} free consecutive ports in ${RANGE.first}-${RANGE.last}`)
}
