import { defineConfig } from 'vitest/config'

// The harness's own logic (profile planning, percentiles, report); the benchmarks themselves run by `npm run bench`.
export default defineConfig({ test: { include: ['load/**/*.test.ts'] } })
