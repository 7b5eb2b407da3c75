// Switchboard's service worker. The server fills in BUILD and PRECACHE for the web app it serves
// (server/src/http/service_worker.rs), so that each build gets caches of its own. PRECACHE holds
// the built files and the catalogue of every language but English (/catalogue/fr-….txt): a page
// in French finds its words offline after one visit online.
const BUILD = "__BUILD__";
const PRECACHE = __PRECACHE__;
const SHELL_CACHE = `switchboard-shell-${BUILD}`;
// The latest answers of the API's reads, for viewing offline; kept across builds. One cache per
// teammate (`switchboard-data-<member id>`), and only the signed-in teammate's is used: on a
// shared browser, nobody is shown another's answers.
const DATA_CACHES = "switchboard-data";
const DATA_ENTRIES = 300;
// Who is signed in on this browser, in a cache entry (a worker's memory does not last): learnt
// from the session's answers, and written by the app at sign-in and cleared at sign-out
// (src/pwa.rs).
const MEMBER_CACHE = "switchboard-member";
const MEMBER_KEY = "/switchboard/member";

self.addEventListener("install", (event) => {
    event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(PRECACHE)));
    // The first install takes over at once; an update waits until the app asks (see "message"),
    // so that a page never runs half old, half new.
});

self.addEventListener("activate", (event) => {
    event.waitUntil((async () => {
        const names = await caches.keys();
        // Old shells go, and so does the one data cache of earlier builds: it says not whose.
        await Promise.all(names
            .filter((name) => (name.startsWith("switchboard-shell-") && name !== SHELL_CACHE)
                || name === DATA_CACHES)
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
            event.respondWith(networkFirst(request, url));
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

async function networkFirst(request, url) {
    const member = await signedIn();
    let response;
    try {
        response = await fetch(request);
    } catch (error) {
        // Offline: the signed-in teammate's own copy, and nothing when nobody is known.
        const hit = member && await (await caches.open(dataCache(member))).match(request);
        if (hit) {
            return hit;
        }
        throw error;
    }
    if (url.pathname === "/api/v1/session" && response.ok) {
        // The server's word on who is signed in here, before the app reads it.
        const status = await response.clone().json().catch(() => null);
        const now = status && status.member ? String(status.member.id) : null;
        await setSignedIn(now);
        if (now !== null) {
            await keep(now, request, response);
        }
        return response;
    }
    if (response.status === 401) {
        // The server knows nobody here: nothing of whoever it was stays.
        await setSignedIn(null);
        return response;
    }
    // Kept only if the same teammate is still signed in now that it has arrived.
    if (response.ok && member !== null && await signedIn() === member) {
        await keep(member, request, response);
    }
    return response;
}

function dataCache(member) {
    return `${DATA_CACHES}-${member}`;
}

async function keep(member, request, response) {
    const cache = await caches.open(dataCache(member));
    await cache.put(request, response.clone());
    const keys = await cache.keys();
    await Promise.all(keys.slice(0, Math.max(0, keys.length - DATA_ENTRIES))
        .map((key) => cache.delete(key)));
}

// The signed-in teammate's id (a string), or null.
async function signedIn() {
    const hit = await (await caches.open(MEMBER_CACHE)).match(MEMBER_KEY);
    const member = hit ? await hit.text() : "";
    return /^[0-9]+$/.test(member) ? member : null;
}

// Someone else, or nobody, is signed in now: every other teammate's answers go.
async function setSignedIn(member) {
    const names = await caches.keys();
    await Promise.all(names
        .filter((name) => name.startsWith(DATA_CACHES) && (member === null || name !== dataCache(member)))
        .map((name) => caches.delete(name)));
    if (member === await signedIn()) {
        return;
    }
    const cache = await caches.open(MEMBER_CACHE);
    if (member === null) {
        await cache.delete(MEMBER_KEY);
    } else {
        await cache.put(MEMBER_KEY, new Response(member));
    }
}
