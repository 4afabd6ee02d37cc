/**
 * The dashboard's build: `npm run build` writes dist/web, which `shopsight serve` serves at `/`
 * (src/server/routes/dashboard.ts). Assets carry a content hash, so the server may cache them for a year.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        // Libraries change less often than pages: a separate chunk stays cached across releases.
        // ECharts is left to the bundler: the first view (src/first-view/) needs only its core and
        // bar chart, which then land in a chunk of their own, apart from the other chart types.
        manualChunks: (id: string) =>
          /node_modules\/(echarts|zrender|tslib)\//.test(id)
            ? undefined
            : /node_modules\/(react|react-dom|react-router|scheduler)\//.test(id)
              ? 'react'
              : /node_modules\//.test(id)
                ? 'vendor'
                : undefined,
      },
    },
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
