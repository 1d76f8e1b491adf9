import { defineConfig } from 'vitest/config'

// Unit tests only; the browser test has its own config (vitest.e2e.config.ts, run by scripts/ci/dex-web.sh).
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    pool: 'forks',
  },
})
