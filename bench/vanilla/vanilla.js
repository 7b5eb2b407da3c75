"use strict";
const ROW_HEIGHT = 76;
const OVERSCAN = 6;
const params = new URLSearchParams(location.search);
const pane = document.getElementById("pane");
const grid = document.getElementById("grid");
const rows = document.getElementById("rows");
// The size of the app's grid, so that both render as many rows.
pane.style.width = (params.get("width") || "430") + "px";
pane.style.height = (params.get("height") || "800") + "px";

/** The Open view, newest first. */
let items = [];
/** Index in `items` of the selected conversation. */
let selected = 0;
/** Conversation id -> its row element, for the rows in the DOM. */
const rendered = new Map();

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

function displayName(contact) {
    return contact.name || contact.number;
}

function initials(name) {
    const letters = name.split(" ").map((w) => w.charAt(0)).filter((c) => /[A-Za-z]/.test(c) || c > "\x7f");
    return letters.slice(0, 2).join("").toUpperCase() || "#";
}

function duration(seconds) {
    const h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    const two = (n) => String(n).padStart(2, "0");
    return h > 0 ? `${h}h ${two(m)}m` : m > 0 ? `${m}m ${two(s)}s` : `${s}s`;
}

function summary(activity) {
    const content = activity.content;
    switch (content.kind) {
        case "message": return content.text;
        case "call":
            if (content.outcome === "missed") return "Missed call";
            return `${activity.direction === "outbound" ? "Outgoing call" : "Incoming call"}, ${duration(content.duration_seconds || 0)}`;
        case "voicemail": return content.transcript ? `Voicemail: ${content.transcript}` : "Voicemail";
        case "note": return `Note by ${content.author ? content.author.name : "?"}: ${content.text}`;
        default: return "";
    }
}

function shortTime(at) {
    const date = new Date(at);
    const now = new Date();
    return date.toDateString() === now.toDateString() ? timeFormat.format(date) : dayFormat.format(date);
}

function makeRow(conversation) {
    const activity = conversation.latest_activity;
    const name = displayName(conversation.contact);
    const time = shortTime(activity.at);
    const you = activity.content.kind === "message" && activity.direction === "outbound" ? "You: " : "";
    const text = summary(activity);
    const row = document.createElement("div");
    row.setAttribute("role", "row");
    row.className = conversation.unread ? "row unread" : "row";
    row.dataset.conversationId = conversation.id;
    row.setAttribute("aria-label", `${name}${conversation.unread ? ", unread" : ""}, ${you}${text}, ${time}`);
    row.tabIndex = -1;
    row.setAttribute("aria-selected", "false");
    const surface = document.createElement("div");
    surface.className = "row-surface";
    surface.setAttribute("role", "none");
    const main = document.createElement("div");
    main.setAttribute("role", "gridcell");
    main.className = "row-main";
    const avatar = document.createElement("span");
    avatar.className = "avatar";
    avatar.setAttribute("aria-hidden", "true");
    avatar.textContent = initials(name);
    const rowText = document.createElement("span");
    rowText.className = "row-text";
    const top = document.createElement("span");
    top.className = "row-top";
    const dot = document.createElement("span");
    dot.className = "unread-dot";
    const nameEl = document.createElement("span");
    nameEl.className = "name";
    nameEl.textContent = name;
    const timeEl = document.createElement("time");
    timeEl.className = "time";
    timeEl.textContent = time;
    top.append(dot, nameEl, timeEl);
    const preview = document.createElement("span");
    preview.className = activity.content.kind === "call" && activity.content.outcome === "missed" ? "preview missed" : "preview";
    if (you) {
        const youEl = document.createElement("span");
        youEl.className = "you";
        youEl.textContent = you;
        preview.append(youEl);
    }
    const previewText = document.createElement("span");
    previewText.className = "preview-text";
    previewText.textContent = text;
    preview.append(previewText);
    rowText.append(top, preview);
    main.append(avatar, rowText);
    const actions = document.createElement("div");
    actions.setAttribute("role", "gridcell");
    actions.className = "row-actions";
    actions.innerHTML = '<button type="button" class="action done" aria-label="Mark as done" tabindex="-1">✓</button>'
        + '<button type="button" class="action unread" aria-label="Mark as unread" tabindex="-1">✉</button>';
    surface.append(main, actions);
    row.append(surface);
    return row;
}

/** Puts the window of rows for the scroll position in the DOM, touching only what changed. */
function render() {
    const len = items.length;
    const first = Math.floor(Math.max(grid.scrollTop, 0) / ROW_HEIGHT);
    const visible = Math.ceil(grid.clientHeight / ROW_HEIGHT) + 1;
    const start = Math.min(Math.max(first - OVERSCAN, 0), len);
    const end = Math.min(first + visible + OVERSCAN, len);
    if (grid.getAttribute("aria-rowcount") !== String(len)) grid.setAttribute("aria-rowcount", String(len));
    rows.style.height = `${len * ROW_HEIGHT}px`;
    rows.style.paddingTop = `${start * ROW_HEIGHT}px`;
    const wanted = new Set();
    for (let i = start; i < end; i++) wanted.add(items[i].id);
    let cursor = rows.firstChild;
    for (let i = start; i < end; i++) {
        while (cursor && !wanted.has(Number(cursor.dataset.conversationId))) {
            const next = cursor.nextSibling;
            rendered.delete(Number(cursor.dataset.conversationId));
            cursor.remove();
            cursor = next;
        }
        const conversation = items[i];
        let row = rendered.get(conversation.id);
        if (!row) {
            row = makeRow(conversation);
            rendered.set(conversation.id, row);
        }
        const index = String(i + 1);
        if (row.getAttribute("aria-rowindex") !== index) row.setAttribute("aria-rowindex", index);
        const isSelected = i === selected;
        if (row.classList.contains("selected") !== isSelected) {
            row.classList.toggle("selected", isSelected);
            row.setAttribute("aria-selected", String(isSelected));
            row.tabIndex = isSelected ? 0 : -1;
        }
        if (row === cursor) {
            cursor = cursor.nextSibling;
        } else {
            rows.insertBefore(row, cursor);
        }
    }
    while (cursor) {
        const next = cursor.nextSibling;
        rendered.delete(Number(cursor.dataset.conversationId));
        cursor.remove();
        cursor = next;
    }
}

/** Scrolls the selected row into view if it is not, as the app does after a key. */
function revealSelected() {
    const top = selected * ROW_HEIGHT;
    const bottom = top + ROW_HEIGHT;
    if (top < grid.scrollTop) grid.scrollTop = top;
    else if (bottom > grid.scrollTop + grid.clientHeight) grid.scrollTop = bottom - grid.clientHeight;
}

function markDone() {
    const conversation = items[selected];
    if (!conversation) return;
    items.splice(selected, 1);
    selected = Math.min(selected, items.length - 1);
    revealSelected();
    render();
    const row = rows.querySelector('[role=row][aria-selected="true"]');
    if (row) requestAnimationFrame(() => row.focus({ preventScroll: true }));
    fetch(`/api/v1/conversations/${conversation.id}/state`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
            change: "done",
            seen_activity_id: conversation.latest_activity.id,
            change_id: crypto.randomUUID(),
        }),
    }).then((response) => {
        if (!response.ok) window.__failures = (window.__failures || 0) + 1;
    }, () => { window.__failures = (window.__failures || 0) + 1; });
}

document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "e" || event.key === "E") {
        event.preventDefault();
        markDone();
    }
});
grid.addEventListener("scroll", render, { passive: true });

async function load() {
    const start = performance.now();
    let cursor = null;
    let pages = 0;
    do {
        const query = new URLSearchParams({ view: "open", limit: "200" });
        if (cursor) query.set("cursor", cursor);
        const response = await fetch(`/api/v1/conversations?${query}`);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const page = await response.json();
        pages += 1;
        for (const conversation of page.conversations) items.push(conversation);
        cursor = page.next_cursor;
    } while (cursor);
    render();
    window.__loaded = { pages, ms: performance.now() - start };
    window.__ready = true;
}
load().catch((error) => { window.__error = String(error); });
