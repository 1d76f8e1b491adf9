import { defaultClientConditions, defineConfig } from 'vite'
import { precompress } from './build/precompress'

// JSX goes through esbuild (tsconfig's `jsx: react-jsx`): @vitejs/plugin-react 6 needs Vite 8,
// which does not install here, and the app needs no Babel transform.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  plugins: [precompress()],
  // @chatsdk/client and @chatsdk/react from source (their "@chatsdk/source" export condition):
  // the app builds from the workspace without building the SDK packages first
  resolve: { conditions: ['@chatsdk/source', ...defaultClientConditions] },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed names under assets/ are what chat-server caches as immutable.
    assetsDir: 'assets',
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev -w @chatsdk/web` against a chat-server started with PORT=44500
    port: 44173,
    proxy: {
      '/v1': 'http://127.0.0.1:44500',
      '/connection': { target: 'ws://127.0.0.1:44500', ws: true },
    },
  },
})
