/// <reference lib="webworker" />
/**
 * The service worker: the app shell (index.html, the first scripts, styles, icon) is cached at
 * install, so the app opens offline; later chunks are cached as they load (their names carry
 * their hash, so a cached one is never stale). Pages and amplify_outputs.json go to the network
 * first and fall back to the cache. API calls are never touched: they must reach the server.
 */
declare const SHELL_FILES: string[];
declare const SHELL_VERSION: string;
declare const APP_PATHS: string[];
const worker = globalThis as unknown as ServiceWorkerGlobalScope;

const CACHE = `shell-${SHELL_VERSION}`;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL_FILES))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => worker.clients.claim()),
  );
});

async function networkFirst(request: Request, fallback: string): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(fallback, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(fallback);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
  if (request.mode === 'navigate' && APP_PATHS.includes(url.pathname)) event.respondWith(networkFirst(request, '/'));
  else if (url.pathname === '/amplify_outputs.json') event.respondWith(networkFirst(request, url.pathname));
  else if (url.pathname.startsWith('/app/')) event.respondWith(cacheFirst(request));
});
