import { defineConfig } from 'vitest/config'

// The harness's own logic (profile planning, percentiles) and the operations drills (restore,
// failover, Redis loss) against real services; the benchmarks themselves run by `npm run bench`.
export default defineConfig({
  test: { include: ['load/**/*.test.ts', 'drills/**/*.test.ts'], pool: 'forks', fileParallelism: false },
})
