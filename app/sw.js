// SPDX-License-Identifier: MIT
/**
 * The app's service worker. The build (offlineCopy in vite.config.ts) prepends VERSION and
 * FILES, the list of every built file, and writes this as dist/sw.js. On install it stores those
 * files in a cache of that version; requests go to the network first and fall back to the
 * cache, so the app works offline once opened and is never stale while online.
 */
/* global VERSION, FILES */
const CACHE = `segments-app-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(['./', 'index.html', ...FILES]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('segments-app-') && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      try {
        return await fetch(request);
      } catch (err) {
        const hit = await caches.match(request, { cacheName: CACHE, ignoreSearch: true });
        if (hit !== undefined) return hit;
        throw err;
      }
    })(),
  );
});
