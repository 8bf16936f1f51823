{% autoescape off %}// Porchlight's service worker: keeps the offline canvassing app (page, scripts, styles) on the phone.
// Data never goes through here: the turf bundle and the outbox live in IndexedDB, and the API is never cached.
const CACHE = "porchlight-offline-{{ version }}";
const SHELL = {{ shell_json }};
const APP_URL = {{ app_url_json }};
const STATIC = {{ static_prefix_json }};

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL);
    // The page needs a signed-in worker: store it only if it really came (not a redirect to the login page).
    try {
      const page = await fetch(APP_URL, { credentials: "same-origin", redirect: "manual" });
      if (page.ok) await cache.put(APP_URL, page);
    } catch (e) { /* offline while installing: the next visit stores it */ }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("porchlight-offline-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function appPage(request) {
  // Network first (the page lists the worker's turfs), the stored copy when there is no network.
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await cache.put(APP_URL, response.clone());
    return response;
  } catch (e) {
    const stored = await cache.match(APP_URL);
    if (stored) return stored;
    throw e;
  }
}

async function staticFile(request) {
  // Cache first: static file names change with their content in production.
  const cache = await caches.open(CACHE);
  const stored = await cache.match(request, { ignoreSearch: true });
  if (stored) return stored;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === APP_URL) {
    event.respondWith(appPage(request));
  } else if (url.pathname.startsWith(STATIC) || SHELL.includes(url.pathname)) {
    event.respondWith(staticFile(request));
  }
});
{% endautoescape %}
