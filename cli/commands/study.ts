import fs from "node:fs/promises";
import type { Command } from "commander";
import { z } from "zod";
import { env } from "../../lib/env";
import { zodErrorMessage } from "../../lib/errors";
import { leasesFromEnv } from "../../lib/matches/leases";
import { createModels } from "../../lib/matches/models";
import { MatchRunner } from "../../lib/matches/runner";
import { checkModelSpec } from "../../lib/models/check-spec";
import { serverProviders } from "../../lib/models/runtime";
import { parseStudyFile } from "../../lib/studies/file";
import { resolveOwner } from "../../lib/studies/owner";
import { createStudy, launchStudy, listAllStudies, studyModelProblems } from "../../lib/studies/repository";
import { type RunProgress, runPlanItemJob, runStudy } from "../../lib/studies/run";
import { createRunQueue, startRunWorker } from "../../lib/studies/run-queue";
import { optionName } from "../options";
import { withDb } from "../with-db";

/**
 * `crux study create <file>` (YAML or JSON design → prints the new study's id), `crux study launch <id>`,
 * `crux study list`, and `crux study run <id> --judge <spec> --concurrency N` (automated run with a progress bar,
 * resumable: run it again after an interruption and it continues). With REDIS_URL the run's matches are jobs of the
 * instances' queue, and this command works on it too with `--concurrency` matches at once (`--queue-only`: it only
 * enqueues and follows). See docs/studies.md and docs/deploy.md.
 */

const runOptionsSchema = z.object({
  judge: z.string().min(3).optional(),
  concurrency: z.coerce.number().int().min(1).max(256).default(4),
  cache: z.boolean().default(true),
  json: z.boolean().default(false),
  queueOnly: z.boolean().default(false),
});

export function registerStudyCommand(program: Command): void {
  const study = program.command("study").description("Create, launch and run research studies");

  study
    .command("create")
    .description("Create a study from a YAML or JSON design file; prints the new study's id")
    .argument("<file>", "the design (docs/studies.md)")
    .option("--owner <email>", "researcher or admin who owns it (default: the first admin)")
    .option("--launch", "launch it straight away (freeze version 1 and open its slots)")
    .action(async (file: string, opts: { owner?: string; launch?: boolean }) => {
      const parsed = parseStudyFile(await fs.readFile(file, "utf8"));
      if (!parsed.ok) throw new Error(`${file} is not a valid study design:\n  ${parsed.errors.join("\n  ")}`);
      // Launching checks that this server can call every model: check before storing anything.
      const problems = opts.launch ? studyModelProblems(parsed.config, serverProviders()) : [];
      if (problems.length) throw new Error(`${file} cannot be launched here:\n  ${problems.join("\n  ")}`);
      const id = await withDb(
        async (db) => {
          const owner = await resolveOwner(db, opts.owner);
          const { id } = await createStudy(db, { ownerId: owner, config: parsed.config });
          if (opts.launch) {
            const version = await launchStudy(db, id);
            process.stderr.write(
              `Launched version ${version.version} (${version.slots} slots, ${version.configHash})\n`,
            );
          }
          return id;
        },
        { questionBank: true },
      );
      process.stdout.write(`${id}\n`);
    });

  study
    .command("launch")
    .description("Freeze the study's design as a new version (if it changed) and open it to participants")
    .argument("<id>", "study id")
    .action(async (id: string) => {
      const version = await withDb((db) => launchStudy(db, id), { questionBank: true });
      process.stdout.write(`version ${version.version}\t${version.slots} slots\t${version.configHash}\n`);
    });

  study
    .command("list")
    .description("List studies (id, status, name)")
    .action(async () => {
      const rows = await withDb(listAllStudies, { questionBank: true });
      if (rows.length === 0) process.stderr.write("No studies yet: create one with `crux study create <file>`.\n");
      for (const row of rows) process.stdout.write(`${row.id}\t${row.status}\t${row.name}\n`);
    });

  study
    .command("run")
    .description("Judge every planned match of the study with an AI judge (resumable; completed matches are skipped)")
    .argument("<id>", "study id")
    .option("--judge <spec>", "judge model for every condition (default: each condition's own judge)")
    .option("--concurrency <n>", "matches at once", "4")
    .option("--no-cache", "do not reuse stored model responses")
    .option("--json", "print the summary as JSON")
    .option("--queue-only", "with REDIS_URL: leave the matches to the app instances' workers, only follow progress")
    .action(async (id: string, raw: Record<string, unknown>) => {
      const parsed = runOptionsSchema.safeParse(raw);
      if (!parsed.success) throw new Error(zodErrorMessage(parsed.error, { path: optionName }));
      const opts = parsed.data;
      const problem = opts.judge ? checkModelSpec(opts.judge, "judge", { providers: serverProviders() }) : null;
      if (problem) throw new Error(`--judge: ${problem}`);
      const summary = await withDb(
        async (db) => {
          const models = createModels(db, { offlineWordDelayMs: 0, recordedWordDelayMs: 0, cache: opts.cache });
          // Several instances on this database (REDIS_URL): the run's matches are leased, so none takes them over.
          const runner = new MatchRunner({ db, models, leases: leasesFromEnv(db), takeOver: false });
          // Ctrl-C stops taking new matches; a second one exits at once. Either way the run resumes next time.
          const controller = new AbortController();
          process.once("SIGINT", () => {
            process.stderr.write("\nStopping after the matches in progress (Ctrl-C again to quit now)…\n");
            controller.abort();
            process.once("SIGINT", () => process.exit(130));
          });
          // Several instances (REDIS_URL): the matches are jobs of the instances' queue; this process works on it too.
          const queue = env.REDIS_URL ? createRunQueue(env.REDIS_URL) : undefined;
          const worker =
            env.REDIS_URL && !opts.queueOnly
              ? startRunWorker(
                  env.REDIS_URL,
                  (data, signal) => runPlanItemJob(db, runner, data, { signal, pollMs: env.CRUX_LEASE_RENEW_MS }),
                  {
                    concurrency: opts.concurrency,
                    lockMs: env.CRUX_RUN_JOB_LOCK_MS,
                    log: (line) => process.stderr.write(`${line}\n`),
                  },
                )
              : null;
          const bar = progressBar();
          try {
            return await runStudy(db, {
              studyId: id,
              judge: opts.judge,
              concurrency: opts.concurrency,
              runner,
              signal: controller.signal,
              onProgress: bar.update,
              queue,
            });
          } finally {
            bar.done();
            // Jobs this process was running when stopped are retried by the instances (their matches resume).
            await worker?.pause();
            await runner.stop();
            await worker?.close();
            await queue?.close();
          }
        },
        { questionBank: true },
      );
      const ranCompleted = summary.completed - summary.skipped;
      const errors = summary.errored > 0 ? summary.errors : [];
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ runId: summary.runId, status: summary.status, total: summary.total, completed: ranCompleted, errored: summary.errored, skipped: summary.skipped, costUsd: summary.costUsd, errors })}\n`,
        );
      } else {
        process.stdout.write(
          `${ranCompleted} completed, ${summary.errored} errored, ${summary.skipped} skipped as already done ` +
            `(${summary.completed}/${summary.total} planned matches complete; ${summary.status})\n`,
        );
        for (const { reason, count } of errors) process.stdout.write(`  ${count} × ${reason}\n`);
      }
      if (summary.status !== "complete") process.exitCode = 1;
    });
}

/** A one-line progress bar on stderr (redrawn in a terminal; a line per 10% otherwise, so CI logs stay short). */
function progressBar() {
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  let last: RunProgress | null = null;
  const line = (p: RunProgress) => {
    const width = 24;
    const filled = p.total ? Math.round((p.completed / p.total) * width) : width;
    const eta = p.etaSeconds === null ? "" : ` · ETA ${formatSeconds(p.etaSeconds)}`;
    return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${p.completed}/${p.total} done · ${p.errored} errored · $${p.costUsd.toFixed(4)}${eta}`;
  };
  return {
    update(p: RunProgress) {
      last = p;
      if (tty) process.stderr.write(`\r${line(p)}\u001b[K`);
      else {
        const decile = p.total ? Math.floor((p.completed / p.total) * 10) : 10;
        if (decile !== lastDecile) process.stderr.write(`${line(p)}\n`);
        lastDecile = decile;
      }
    },
    done() {
      if (tty && last) process.stderr.write("\n");
    },
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 90 ? `${minutes}m ${Math.round(seconds % 60)}s` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
