// Switchboard's service worker. The server fills in BUILD and PRECACHE for the web app it serves
// (server/src/http/service_worker.rs), so that each build gets caches of its own.
const BUILD = "__BUILD__";
const PRECACHE = __PRECACHE__;
const SHELL_CACHE = `switchboard-shell-${BUILD}`;
// The latest answers of the API's reads, for viewing offline; kept across builds.
const DATA_CACHE = "switchboard-data";
const DATA_ENTRIES = 300;

self.addEventListener("install", (event) => {
    event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(PRECACHE)));
    // The first install takes over at once; an update waits until the app asks (see "message"),
    // so that a page never runs half old, half new.
});

self.addEventListener("activate", (event) => {
    event.waitUntil((async () => {
        const names = await caches.keys();
        await Promise.all(names
            .filter((name) => name.startsWith("switchboard-shell-") && name !== SHELL_CACHE)
            .map((name) => caches.delete(name)));
        await self.clients.claim();
    })());
});

self.addEventListener("message", (event) => {
    if (event.data && event.data.type === "SKIP_WAITING") {
        self.skipWaiting();
    }
});

self.addEventListener("fetch", (event) => {
    const request = event.request;
    const url = new URL(request.url);
    if (url.origin !== self.location.origin || request.method !== "GET") {
        return;
    }
    if (url.pathname.startsWith("/api/")) {
        // Reads are kept for offline use; the live stream never ends and is not cached.
        if (url.pathname.startsWith("/api/v1/") && url.pathname !== "/api/v1/events") {
            event.respondWith(networkFirst(request));
        }
        return;
    }
    if (url.pathname === "/sw.js") {
        return;
    }
    if (request.mode === "navigate") {
        // Every route of the app is the same page: fresh when online, the cached shell offline.
        event.respondWith(fetch(request).catch(() => cached("/index.html")));
        return;
    }
    event.respondWith(cached(url.pathname).then((hit) => hit || fetch(request)));
});

async function cached(path) {
    const cache = await caches.open(SHELL_CACHE);
    return cache.match(path);
}

async function networkFirst(request) {
    const cache = await caches.open(DATA_CACHE);
    try {
        const response = await fetch(request);
        if (response.ok) {
            await cache.put(request, response.clone());
            const keys = await cache.keys();
            await Promise.all(keys.slice(0, Math.max(0, keys.length - DATA_ENTRIES))
                .map((key) => cache.delete(key)));
        }
        return response;
    } catch (error) {
        const hit = await cache.match(request);
        if (hit) {
            return hit;
        }
        throw error;
    }
}
