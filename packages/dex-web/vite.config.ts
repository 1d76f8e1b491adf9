import { defineConfig } from 'vite'
import { precompress } from './build/precompress.js'

// No React plugin: esbuild's automatic JSX transform is all the app needs (no Babel, no fast refresh).
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: false,
    // One hashed chunk per page route: the swap page does not pay for the chart or the account code.
    modulePreload: { polyfill: false },
  },
  plugins: [precompress()],
  server: {
    // `npm run dev -w @soba/dex-web` against a DEX server on DEX_URL (default the embedded start's).
    proxy: { '/v1': process.env.DEX_URL ?? 'http://127.0.0.1:3000' },
  },
})
