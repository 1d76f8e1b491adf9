/**
 * Writes a load run as JSON (the figures the README cites) and as a self-contained HTML page with
 * SVG plots: p50/p95/p99 per endpoint against the SLA line, and p95 over the run's steps.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import type { LatencySummary } from './percentiles.js'
import type { Step } from './profile.js'
import type { WsReport } from './ws-clients.js'

export interface EndpointResult extends LatencySummary {
  name: string
  kind: 'health' | 'api'
  /** The SLA this endpoint is held to (p95, ms) and whether the run met it. */
  slaP95Ms: number
  slaMet: boolean
  statuses: Record<string, number>
  /** p95 per step, in step order (NaN where the endpoint had no samples in a step). */
  p95ByStep: number[]
}

export interface LoadReport {
  product: 'chat' | 'dex'
  at: string
  /** What the numbers were measured on: the peer that sets them in context. */
  machine: { cpus: number; loadAverage: number[]; database: string; cache: string }
  steps: Step[]
  totalSeconds: number
  requestsPerSecond: number
  errorRate: number
  thresholds: { apiP95Ms: number; healthP95Ms: number; errorRate: number }
  endpoints: EndpointResult[]
  websocket?: WsReport
  passed: boolean
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

function barChart(report: LoadReport): string {
  const rowHeight = 26
  const width = 760
  const labelWidth = 260
  const max = Math.max(...report.endpoints.flatMap((e) => [e.p99Ms, e.slaP95Ms]).filter(Number.isFinite), 1)
  const scale = (ms: number) => ((width - labelWidth - 20) * ms) / max
  const rows = report.endpoints.map((e, i) => {
    const y = 20 + i * rowHeight
    const bar = (ms: number, color: string, h: number) =>
      `<rect x="${labelWidth}" y="${y + (rowHeight - h) / 2 - 4}" width="${scale(ms).toFixed(1)}" height="${h}" fill="${color}"/>`
    return [
      `<text x="0" y="${y + 10}" font-size="12">${escapeHtml(e.name)}</text>`,
      bar(e.p99Ms, '#c9d7f2', 16),
      bar(e.p95Ms, '#6b93d6', 10),
      bar(e.p50Ms, '#1f4e9c', 4),
      `<line x1="${labelWidth + scale(e.slaP95Ms)}" x2="${labelWidth + scale(e.slaP95Ms)}" y1="${y - 6}" y2="${y + 18}" stroke="#c0392b" stroke-width="2"/>`,
    ].join('')
  })
  const height = 30 + report.endpoints.length * rowHeight
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="latency per endpoint">${rows.join('')}<text x="${labelWidth}" y="${height - 2}" font-size="11">0 ms</text><text x="${width - 80}" y="${height - 2}" font-size="11">${max.toFixed(0)} ms</text></svg>`
}

function lineChart(report: LoadReport): string {
  const width = 760
  const height = 240
  const pad = 40
  const values = report.endpoints.flatMap((e) => e.p95ByStep).filter(Number.isFinite)
  const max = Math.max(...values, 1)
  const colors = ['#1f4e9c', '#c0392b', '#16a085', '#8e44ad', '#d35400', '#2c3e50', '#7f8c8d']
  const x = (i: number) => pad + ((width - 2 * pad) * i) / Math.max(1, report.steps.length - 1)
  const y = (ms: number) => height - pad - ((height - 2 * pad) * ms) / max
  const lines = report.endpoints.map((e, k) => {
    const points = e.p95ByStep
      .map((ms, i) => (Number.isFinite(ms) ? `${x(i).toFixed(1)},${y(ms).toFixed(1)}` : null))
      .filter(Boolean)
      .join(' ')
    const color = colors[k % colors.length]
    return `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points}"/><text x="${width - pad + 4}" y="${14 + k * 14}" font-size="10" fill="${color}">${escapeHtml(e.name)}</text>`
  })
  const vus = report.steps
    .map(
      (s, i) => `${x(i).toFixed(1)},${(height - pad - ((height - 2 * pad) * s.connections) / 60).toFixed(1)}`,
    )
    .join(' ')
  return `<svg viewBox="0 0 ${width + 220} ${height}" width="${width + 220}" height="${height}" role="img" aria-label="p95 per step"><polyline fill="none" stroke="#bbb" stroke-dasharray="4 3" points="${vus}"/>${lines.join('')}<text x="4" y="${pad}" font-size="11">${max.toFixed(0)} ms</text><text x="4" y="${height - pad}" font-size="11">0</text><text x="${pad}" y="${height - 8}" font-size="11">steps of the profile (dashed: connections, 0–60)</text></svg>`
}

export function renderHtml(report: LoadReport): string {
  const rows = report.endpoints
    .map(
      (e) =>
        `<tr><td>${escapeHtml(e.name)}</td><td>${e.requests}</td><td>${e.p50Ms}</td><td>${e.p95Ms}</td><td>${e.p99Ms}</td><td>${(e.errorRate * 100).toFixed(2)}%</td><td>&lt; ${e.slaP95Ms}</td><td>${e.slaMet ? 'met' : '<strong>missed</strong>'}</td></tr>`,
    )
    .join('')
  const ws = report.websocket
    ? `<h2>WebSocket</h2><p>${report.websocket.connected} of ${report.websocket.connections} connections subscribed (${report.websocket.failed} failed); connect+subscribe p50 ${report.websocket.connectSubscribe.p50Ms} ms, p95 ${report.websocket.connectSubscribe.p95Ms} ms, p99 ${report.websocket.connectSubscribe.p99Ms} ms; ${report.websocket.publicationsReceived} publications delivered; ${report.websocket.unexpectedCloses} unexpected closes.</p>`
    : ''
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>${report.product} load report</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}</style>
<h1>${report.product === 'chat' ? 'ChatSDK' : 'Soba DEX'} load report</h1>
<p>${escapeHtml(report.at)} · ${report.totalSeconds} s · ${report.requestsPerSecond} requests/s · errors ${(report.errorRate * 100).toFixed(2)}% (threshold ${(report.thresholds.errorRate * 100).toFixed(0)}%) · ${report.passed ? 'all thresholds met' : '<strong>thresholds missed</strong>'}</p>
<p>Machine: ${report.machine.cpus} cores, load average ${report.machine.loadAverage.map((n) => n.toFixed(2)).join(' ')} at the end; database ${escapeHtml(report.machine.database)}, cache ${escapeHtml(report.machine.cache)}. The load generator shares the machine with the server.</p>
<h2>Latency per endpoint (ms)</h2>
<table><tr><th>endpoint</th><th>requests</th><th>p50</th><th>p95</th><th>p99</th><th>errors</th><th>SLA p95</th><th></th></tr>${rows}</table>
<p>Bars: p99 (light), p95 (mid), p50 (dark); red line: the SLA.</p>${barChart(report)}
<h2>p95 through the run</h2>${lineChart(report)}${ws}</html>
`
}

export async function writeReport(
  report: LoadReport,
  directory: URL,
): Promise<{ json: string; html: string }> {
  await mkdir(directory, { recursive: true })
  const json = new URL(`load-${report.product}.json`, directory)
  const html = new URL(`load-${report.product}.html`, directory)
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`)
  await writeFile(html, renderHtml(report))
  return { json: json.pathname, html: html.pathname }
}
