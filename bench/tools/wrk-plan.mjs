// Writes the plan of bench/wrk/state_change.lua: every conversation of the server, one a line,
// "id status newest_activity_id", read from the API (the Open view, then the Done view).
//
//   node bench/tools/wrk-plan.mjs URL COOKIE [AT_MOST] > plan
const [url, cookie, atMost] = process.argv.slice(2);
const limit = atMost ? Number(atMost) : Infinity;
let total = 0;
for (const view of ["open", "done"]) {
    let cursor = null;
    do {
        const query = new URLSearchParams({ view, limit: "200" });
        if (cursor) query.set("cursor", cursor);
        const response = await fetch(`${url}/api/v1/conversations?${query}`, { headers: { cookie } });
        if (!response.ok) throw new Error(`${view} view: HTTP ${response.status}`);
        const page = await response.json();
        const lines = page.conversations.map((c) => `${c.id} ${c.status} ${c.latest_activity.id}\n`);
        process.stdout.write(lines.join(""));
        total += lines.length;
        cursor = total < limit ? page.next_cursor : null;
    } while (cursor);
}
if (total === 0) throw new Error("no conversations");
