import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** The web app: a static bundle (web/dist) served by CloudFront in AWS and by `npm start` locally. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [
    react(),
    // Installable, and the app shell readable with no network (issue 22): Workbox precaches the built files; the
    // registration is a file (registerSW.js), not an inline script, as the CSP demands. No API response is cached
    // here: the therapist's schedule is kept in IndexedDB by the app itself (pages/therapist/device-store.ts).
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'IKB Planner',
        short_name: 'IKB',
        description: 'Dagens och veckans besök, registrering av besök, frånvaro och kalender för IKB-teamet.',
        lang: 'sv',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f4f5f7',
        theme_color: '#1d4f91',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png}'],
        navigateFallback: '/index.html',
        // A navigation to a file (/config.json, /manifest.webmanifest) gets the file, as the server and CloudFront do:
        // only the app's own routes (no dot in the last segment) fall back to the shell.
        navigateFallbackDenylist: [/\/[^/]*\.[^/]*$/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [
          // config.json is written per deployment: from the network when there is one, the last copy when not.
          {
            urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname === '/config.json',
            handler: 'NetworkFirst',
            options: { cacheName: 'ikb-config', networkTimeoutSeconds: 4 },
          },
        ],
      },
    }),
  ],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
});
