// Prints the figures of Lighthouse JSON reports: the scores of performance, accessibility and
// best practices, CLS and LCP, and the ids of the audits that fail in accessibility and best
// practices (those of weight 0 count for nothing in the score), and where a run ended up if it
// was sent elsewhere (to the sign-in page, say).
//
//   node bench/tools/lighthouse-summary.mjs LABEL=report.json...
import { readFileSync } from "node:fs";

const score = (category) => (category && category.score !== null ? Math.round(category.score * 100) : "—");
for (const argument of process.argv.slice(2)) {
    const [label, path] = argument.split("=");
    const report = JSON.parse(readFileSync(path, "utf8"));
    const { categories, audits } = report;
    const cls = audits["cumulative-layout-shift"];
    const lcp = audits["largest-contentful-paint"];
    console.log(
        `  ${label.padEnd(24)} performance ${String(score(categories.performance)).padStart(3)}` +
        `  accessibility ${String(score(categories.accessibility)).padStart(3)}` +
        `  best-practices ${String(score(categories["best-practices"])).padStart(3)}` +
        `  CLS ${cls && cls.numericValue !== undefined ? cls.numericValue.toFixed(3) : "—"}` +
        `  LCP ${lcp && lcp.numericValue !== undefined ? (lcp.numericValue / 1000).toFixed(2) + " s" : "—"}`,
    );
    if (report.finalDisplayedUrl !== report.requestedUrl) console.log(`    ended on ${report.finalDisplayedUrl}`);
    if (report.runtimeError) console.log(`    runtime error: ${report.runtimeError.code} ${report.runtimeError.message}`);
    for (const warning of report.runWarnings || []) console.log(`    warning: ${warning.split("\n")[0]}`);
    for (const id of ["accessibility", "best-practices"]) {
        const category = categories[id];
        if (!category) continue;
        const failing = category.auditRefs
            .filter((ref) => {
                const audit = audits[ref.id];
                return audit && audit.score !== null && audit.score < 1
                    && !["notApplicable", "manual", "informative"].includes(audit.scoreDisplayMode);
            })
            .map((ref) => (ref.weight > 0 ? ref.id : `${ref.id} (weight 0)`));
        console.log(`    failing ${id} audits: ${failing.length ? failing.join(", ") : "none"}`);
    }
}
