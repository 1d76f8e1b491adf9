import { defineConfig } from 'vitest/config'

// The deploy/ checks (scripts/ci/ops.sh): they start real nginx, Prometheus and the servers, so
// files run one at a time to stay gentle on a shared machine.
export default defineConfig({
  test: {
    include: ['deploy/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
  },
})
