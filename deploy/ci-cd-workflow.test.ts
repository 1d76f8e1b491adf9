/**
 * .github/workflows/ci-cd.yml parses as YAML and has the stages users rely on: lint, typecheck and
 * tests with Postgres and Redis services, npm audit, image builds from deploy/docker, and a
 * production deploy gated by its environment (manual approval) after staging.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { parse } from 'yaml'

const workflow = parse(readFileSync(join(import.meta.dirname, '..', '.github/workflows/ci-cd.yml'), 'utf8'), {
  strict: true,
  uniqueKeys: true,
}) as { jobs: Record<string, any> }

const runs = (job: string) => workflow.jobs[job].steps.map((s: any) => s.run ?? s.uses).join('\n')

it('checks with lint, typecheck, tests against Postgres and Redis, and npm audit', () => {
  expect(Object.keys(workflow.jobs.check.services).sort()).toEqual(['postgres', 'redis'])
  for (const step of ['npm run lint', 'npm run typecheck', 'npm test', 'npm audit'])
    expect(runs('check')).toContain(step)
})

it('builds both images from their Dockerfiles', () => {
  expect(workflow.jobs.images.strategy.matrix.server).toEqual(['chat-server', 'dex-server'])
  const build = workflow.jobs.images.steps.find((s: any) =>
    String(s.uses).startsWith('docker/build-push-action'),
  )
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
  expect(build.with.file).toBe('deploy/docker/${{ matrix.server }}.Dockerfile')
})

it('deploys staging, then production behind the production environment', () => {
  expect(workflow.jobs['deploy-staging'].needs).toBe('images')
  expect(workflow.jobs['deploy-production'].needs).toBe('deploy-staging')
  expect(workflow.jobs['deploy-production'].environment).toBe('production')
  expect(runs('deploy-production')).toContain('deploy/k8s/overlays/production')
})
