// Container health check: the server answers /health/live on its own port. Plain Node (the slim
// image has no curl); exits 0 when healthy, 1 otherwise, within the check's timeout.
const port = process.env.PORT ?? process.env.CHAT_PORT ?? process.env.DEX_PORT
const url = `http://127.0.0.1:${port}/health/live`
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) })
  process.exit(response.ok ? 0 : 1)
} catch {
  process.exit(1)
}
