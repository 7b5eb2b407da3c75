// Where the time went in a Chrome CPU profile (.cpuprofile JSON): self time summed by function
// name, the TOP largest, and the total of samples that were not idle.
//
//   node bench/tools/profile-summary.mjs profile.cpuprofile [TOP]
import { readFileSync } from "node:fs";

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg || 40);
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMs = new Map();
const deltas = profile.timeDeltas;
let busy = 0;
profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const ms = (deltas[index + 1] ?? deltas[index] ?? 0) / 1000;
    const name = node.callFrame.functionName || `(${node.callFrame.url.split("/").pop() || "anonymous"})`;
    if (name !== "(idle)" && name !== "(program)" && name !== "(garbage collector)") busy += ms;
    selfMs.set(name, (selfMs.get(name) ?? 0) + ms);
});
const rows = [...selfMs.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`busy ${busy.toFixed(1)} ms (not idle, not "(program)")`);
for (const [name, ms] of rows) {
    console.log(`${ms.toFixed(2).padStart(9)} ms  ${name.slice(0, 150)}`);
}
