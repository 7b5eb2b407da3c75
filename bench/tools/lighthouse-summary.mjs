// Prints the figures of Lighthouse JSON reports, several runs of a page at a time: the median
// run (Lighthouse's own `computeMedianRun`, by first contentful paint and time to interactive)
// with every run's performance score and blocking time beside it; for the median run, the
// scores of performance, accessibility and best practices, CLS and LCP, the ids of the audits
// that fail in accessibility and best practices (those of weight 0 count for nothing in the
// score), and where it ended up if it was sent elsewhere (to the sign-in page, say).
//
//   LIGHTHOUSE_DIR=…/node_modules/lighthouse node bench/tools/lighthouse-summary.mjs LABEL=run1.json,run2.json…
import { readFileSync } from "node:fs";

const { computeMedianRun } = await import(`${process.env.LIGHTHOUSE_DIR}/core/lib/median-run.js`);

const score = (category) => (category && category.score !== null ? Math.round(category.score * 100) : "—");
for (const argument of process.argv.slice(2)) {
    const [label, paths] = argument.split("=");
    const runs = paths.split(",").map((path) => JSON.parse(readFileSync(path, "utf8")));
    const report = runs.length > 1 ? computeMedianRun(runs) : runs[0];
    const { categories, audits } = report;
    const each = runs
        .map((run) => `${score(run.categories.performance)} (TBT ${Math.round(run.audits["total-blocking-time"]?.numericValue ?? NaN)} ms)`)
        .join(", ");
    const cls = audits["cumulative-layout-shift"];
    const lcp = audits["largest-contentful-paint"];
    console.log(
        `  ${label.padEnd(24)} performance ${String(score(categories.performance)).padStart(3)}` +
        `  accessibility ${String(score(categories.accessibility)).padStart(3)}` +
        `  best-practices ${String(score(categories["best-practices"])).padStart(3)}` +
        `  CLS ${cls && cls.numericValue !== undefined ? cls.numericValue.toFixed(3) : "—"}` +
        `  LCP ${lcp && lcp.numericValue !== undefined ? (lcp.numericValue / 1000).toFixed(2) + " s" : "—"}`,
    );
    if (runs.length > 1) console.log(`    median of ${runs.length} runs; each run's performance: ${each}`);
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
