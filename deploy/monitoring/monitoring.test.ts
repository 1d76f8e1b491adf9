/**
 * The monitoring artifacts, each checked by the tool that consumes it: the generated files match
 * their source, `promtool check config`, `promtool check rules`, `promtool test rules` (a firing and
 * a silent case per alert) and `amtool check-config`.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { artifacts } from './generate.js'
import { ruleGroups } from './source/alerts.js'

const here = import.meta.dirname
const run = (command: string, args: string[]) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe' })

it('the committed rules, rule tests and dashboards are exactly what generate.ts makes from the source', () => {
  for (const [path, text] of artifacts()) expect(readFileSync(path, 'utf8'), path).toBe(text)
  expect(readdirSync(join(here, 'grafana/dashboards')).length).toBe(10)
})

it('promtool accepts prometheus.yml and the rule files', () => {
  // --syntax-only: the token file the scrape jobs name exists only in a deployment.
  expect(
    run('promtool', ['check', 'config', '--syntax-only', join(here, 'prometheus/prometheus.yml')]),
  ).toContain('SUCCESS')
  const rules = readdirSync(join(here, 'prometheus/rules')).map((f) => join(here, 'prometheus/rules', f))
  expect(run('promtool', ['check', 'rules', ...rules])).toContain('SUCCESS')
})

it('promtool test rules: every alert fires on its fixture and stays silent on the other', () => {
  const tests = readdirSync(join(here, 'prometheus/tests')).map((f) => join(here, 'prometheus/tests', f))
  const output = run('promtool', ['test', 'rules', ...tests])
  expect(output.match(/SUCCESS/g)?.length).toBe(tests.length)
  const cases = tests.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/^ {2}- name: (.*)$/gm)].map((m) => m[1]),
  )
  for (const rule of ruleGroups.flatMap((g) => g.rules)) {
    expect(cases).toContain(`${rule.alert} fires`)
    expect(cases).toContain(`${rule.alert} stays silent`)
  }
})

it('amtool accepts alertmanager.yml: critical to PagerDuty, warning to Slack, info to email', () => {
  const file = join(here, 'alertmanager/alertmanager.yml')
  expect(run('amtool', ['check-config', file])).toContain('SUCCESS')
  const route = (labels: string) =>
    run('amtool', ['config', 'routes', 'test', `--config.file=${file}`, labels]).trim()
  expect(route('severity=critical')).toBe('pagerduty')
  expect(route('severity=warning')).toBe('slack')
  expect(route('severity=info')).toBe('email')
})

it('every alert has its runbook section in docs/operations/runbooks.md', () => {
  const runbooks = readFileSync(join(here, '../../docs/operations/runbooks.md'), 'utf8')
  for (const rule of ruleGroups.flatMap((g) => g.rules)) {
    expect(runbooks).toContain(`\n## ${rule.alert}\n`)
    expect(rule.runbook).toBe(rule.alert.toLowerCase())
  }
})
