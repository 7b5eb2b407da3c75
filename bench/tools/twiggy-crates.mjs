// What a wasm module is made of, from `twiggy top -n 100000 --retained --format json`: the TOP
// largest items by retained size, then the shallow sizes summed by crate (shallow sizes add up to
// the module; retained sizes overlap). The names section, which only this analysis keeps, is left
// out of both, and percentages are of the module without it.
//
//   twiggy top -n 100000 --retained --format json app.wasm | node bench/tools/twiggy-crates.mjs [TOP]
import { readFileSync } from "node:fs";

const top = Number(process.argv[2] || 20);
const items = JSON.parse(readFileSync(0, "utf8"));

const isNames = (name) => /^"[a-z ]+names" subsection$/.test(name);
const PRIMITIVE = /^(?:[iu](?:8|16|32|64|128|size)|f32|f64|bool|char|str)\b|^[[(*]|^fn\b/;

/** The crate a path starts with: "core[c5930c85a12de822]::fmt::…" → "core". */
function crateOf(path) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/.exec(path);
    return match ? match[1] : null;
}

function crate(name) {
    if (name.startsWith("data segment")) return "(data segments)";
    if (/^code\[\d+\]$/.test(name)) return "(functions without a name)";
    if (/^(?:table|elem|type|global|memory|import|export|custom section)\b/.test(name)) {
        return "(tables, imports, exports, types)";
    }
    const bare = (text) => text.replace(/^(?:&|mut |dyn |impl |const |\*)+/, "");
    if (name.startsWith("<")) {
        // "<Self as Trait>::f" or "<Self>::f": the crate of Self, or else of the trait; a
        // primitive's inherent methods are core's.
        const self = bare(name.slice(1));
        const own = crateOf(self);
        if (own) return own;
        const trait = / as ([^>]+)>/.exec(name);
        const traitCrate = trait && crateOf(bare(trait[1]));
        if (traitCrate) return traitCrate;
        if (PRIMITIVE.test(self)) return "core";
    }
    return crateOf(bare(name)) ?? "(other)";
}

const names = items.filter((item) => isNames(item.name)).reduce((sum, item) => sum + item.shallow_size, 0);
const code = items.filter((item) => !isNames(item.name));
const total = code.reduce((sum, item) => sum + item.shallow_size, 0);
const percent = (size) => `${(100 * size / total).toFixed(1).padStart(5)} %`;
const shorten = (name) => (name.length > 110 ? `${name.slice(0, 107)}...` : name);

console.log(`  module ${total} bytes without its names section (${names} bytes)`);
console.log(`\n  the ${top} largest items by retained size (the item and what only it keeps alive):`);
for (const item of [...code].sort((a, b) => b.retained_size - a.retained_size).slice(0, top)) {
    console.log(`  ${String(item.retained_size).padStart(9)} ${percent(item.retained_size)}  ${shorten(item.name)}`);
}

const sums = new Map();
for (const item of code) {
    const key = crate(item.name);
    sums.set(key, (sums.get(key) || 0) + item.shallow_size);
}
const rows = [...sums.entries()].sort((a, b) => b[1] - a[1]);
console.log(`\n  by crate (shallow sizes, summed by the crate each item's name starts with):`);
for (const [key, size] of rows.slice(0, top)) {
    console.log(`  ${key.padEnd(40)} ${String(size).padStart(9)} bytes ${percent(size)}`);
}
const rest = rows.slice(top).reduce((sum, [, size]) => sum + size, 0);
if (rest > 0) {
    const label = `(${rows.length - top} more: ${rows.slice(top).map(([key]) => key).join(", ")})`;
    console.log(`  ${shorten(label)}\n  ${"".padEnd(40)} ${String(rest).padStart(9)} bytes ${percent(rest)}`);
}
