/**
 * The address the applications use for "the primary": a TCP forwarder whose target moves on
 * failover, as a virtual IP, a Kubernetes Service over Patroni's leader, or PgBouncer would.
 * Moving it drops every open connection, so the apps see the same broken connections they would
 * see when the primary dies.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net'

export interface TcpSwitch {
  port: number
  moveTo(targetPort: number): void
  close(): Promise<void>
}

export async function startTcpSwitch(port: number, targetPort: number): Promise<TcpSwitch> {
  let target = targetPort
  const open = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: target })
    open.add(client)
    open.add(upstream)
    const drop = () => {
      client.destroy()
      upstream.destroy()
      open.delete(client)
      open.delete(upstream)
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    port,
    moveTo(targetPort) {
      target = targetPort
      for (const socket of open) socket.destroy()
      open.clear()
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
