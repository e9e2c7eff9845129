import type { Command } from "commander";
import { z } from "zod";
import { getHeadlineComparison } from "../../lib/analysis/headline";
import { getStudyResults } from "../../lib/analysis/results";
import { formatP, resultsFiltersSchema } from "../../lib/analysis/results-schema";
import { zodErrorMessage } from "../../lib/errors";
import { optionName } from "../options";
import { withDb } from "../with-db";

/**
 * `crux stats --study <id> [--condition name …] [--tag tag …] [--replicates N] [--json]`: the headline table of a
 * study (only verdicts whose question or match carries every `--tag`) — per
 * condition judgments, correct, accuracy and Wilson 95% interval — and the differences between conditions with
 * their two-way cluster bootstrap intervals and permutation p-values, the same numbers as the results page.
 */

const optionsSchema = z.object({
  study: z.string().trim().min(1),
  condition: z.array(z.string()).default([]),
  tag: z.array(z.string()).default([]),
  replicates: z.coerce.number().int().min(100).max(100_000).default(2000),
  json: z.boolean().default(false),
});

const pct = (value: number | null) => (value === null ? "—" : `${(value * 100).toFixed(1)}%`);
const pts = (value: number) => `${value >= 0 ? "+" : "-"}${Math.abs(value * 100).toFixed(1)}`;

export function registerStatsCommand(program: Command): void {
  program
    .command("stats")
    .description("Accuracy per condition with 95% intervals, and differences with bootstrap intervals and p-values")
    .requiredOption("--study <id>", "study id")
    .option(
      "--condition <name>",
      "only these conditions, compared pairwise in the order given (repeat, or comma-separate)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      "--tag <tag>",
      "only verdicts whose question or match carries this tag (repeat: all must match; e.g. in-paper)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--replicates <n>", "bootstrap replicates", "2000")
    .option("--json", "print JSON: { study, conditions, differences, recorded }")
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) throw new Error(zodErrorMessage(parsed.error, { path: optionName }));
      const opts = parsed.data;
      const filters = resultsFiltersSchema.parse({ condition: opts.condition, tag: opts.tag });
      await withDb(
        async (db) => {
          const results = await getStudyResults(db, opts.study, filters);
          const headline = await getHeadlineComparison(db, opts.study, filters, { replicates: opts.replicates });
          const conditions = results.conditions.map((c) => ({
            condition: c.condition,
            protocol: c.protocol,
            n: c.n,
            correct: c.correct,
            accuracy: c.accuracy,
            ci: c.ci,
          }));
          const differences = headline.differences.map((d) => ({
            a: d.a,
            b: d.b,
            estimate: d.estimate,
            ci: d.ci,
            p: d.p,
          }));
          if (opts.json) {
            const recorded = results.recorded;
            process.stdout.write(`${JSON.stringify({ study: opts.study, conditions, differences, recorded })}\n`);
            return;
          }
          const out: string[] = [];
          out.push(
            `${results.verdicts} verdicts analysed; ${results.excluded.total} matches left out ` +
              `(${results.excluded.practice} practice, ${results.excluded.abandoned} abandoned, ` +
              `${results.excluded.errored} errored, ${results.excluded.participant} failed/removed participants, ` +
              `${results.excluded.corrected} corrected)` +
              `${results.pending ? `; ${results.pending} in progress` : ""}.`,
            "",
          );
          const rows = [
            ["condition", "protocol", "n", "correct", "accuracy", "95% CI"],
            ...conditions.map((c) => [
              c.condition,
              c.protocol,
              String(c.n),
              String(c.correct),
              pct(c.accuracy),
              c.ci ? `[${pct(c.ci[0])}, ${pct(c.ci[1])}]` : "—",
            ]),
          ];
          out.push(...table(rows), "");
          if (differences.length === 0) out.push(headline.summary);
          else {
            out.push(
              `Differences (two-way judge × question cluster bootstrap, ${headline.replicates} replicates; ` +
                `permutation test, ${headline.permutations} permutations):`,
            );
            out.push(
              ...table([
                ["a − b", "difference", "95% CI", "p"],
                ...headline.differences.map((d) => [
                  `${d.a} − ${d.b}`,
                  `${pts(d.estimate)} points`,
                  d.ci ? `[${pts(d.ci[0])}, ${pts(d.ci[1])}]` : "—",
                  formatP(d.p),
                ]),
              ]),
              "",
              ...headline.differences.map((d) => d.summary),
            );
          }
          if (results.recorded.length > 0)
            out.push(
              "",
              "Recorded conditions: new judges vs the original judges of the same debates (bootstrap over debates):",
              ...table([
                ["condition", "debates", "n", "new", "95% CI", "original", "95% CI", "difference", "95% CI"],
                ...results.recorded.map((r) => [
                  r.condition,
                  String(r.debates),
                  String(r.n),
                  pct(r.newJudges.accuracy),
                  r.newJudges.ci ? `[${pct(r.newJudges.ci[0])}, ${pct(r.newJudges.ci[1])}]` : "—",
                  pct(r.originalJudges.accuracy),
                  r.originalJudges.ci ? `[${pct(r.originalJudges.ci[0])}, ${pct(r.originalJudges.ci[1])}]` : "—",
                  r.difference.estimate === null ? "—" : `${pts(r.difference.estimate)} points`,
                  r.difference.ci ? `[${pts(r.difference.ci[0])}, ${pts(r.difference.ci[1])}]` : "—",
                ]),
              ]),
            );
          process.stdout.write(`${out.join("\n")}\n`);
        },
        { questionBank: true },
      );
    });
}

/** Left-aligned columns separated by two spaces. */
function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}
