import type { Command } from "commander";
import { zodErrorMessage } from "../../lib/errors";
import { correctionInputSchema, listCorrections, recordCorrection } from "../../lib/studies/corrections";
import { resolveCliAccount } from "../../lib/studies/owner";
import { studyExists } from "../../lib/studies/repository";
import { CORRECTION_TARGET_KINDS, type CorrectionKind } from "../../lib/studies/vocabulary";
import { optionName } from "../options";
import { withDb } from "../with-db";

/**
 * `crux correct exclude|restore --study <id> --match <id>|--verdict <id>|--participant <id> --reason "…"` and
 * `crux correct list --study <id> [--json]`: corrections of a study's data, recorded as new rows with their reason
 * and audited (docs/studies.md, "Corrections").
 */

interface CorrectOptions {
  study: string;
  match?: string;
  verdict?: string;
  participant?: string;
  reason: string;
  as?: string;
}

/** The one target named by --match, --verdict or --participant. */
function targetOf(options: CorrectOptions): { targetKind: (typeof CORRECTION_TARGET_KINDS)[number]; targetId: string } {
  const named = CORRECTION_TARGET_KINDS.flatMap((kind) => {
    const id = options[kind];
    return id === undefined ? [] : [{ targetKind: kind, targetId: id }];
  });
  const [target] = named;
  if (named.length !== 1 || !target) throw new Error("name exactly one of --match, --verdict or --participant");
  return target;
}

async function correctAction(kind: CorrectionKind, options: CorrectOptions): Promise<void> {
  const target = targetOf(options);
  const parsed = correctionInputSchema.safeParse({ studyId: options.study, kind, reason: options.reason, ...target });
  // The option each field comes from: --study, --reason, and --match/--verdict/--participant for the target.
  const option = (path: readonly PropertyKey[]) =>
    path[0] === "studyId" ? "--study" : path[0] === "targetId" ? `--${target.targetKind}` : optionName(path);
  if (!parsed.success) throw new Error(zodErrorMessage(parsed.error, { first: true, path: option }));
  const correction = await withDb(async (db) => {
    const actor = await resolveCliAccount(db, options.as);
    return recordCorrection(db, { ...parsed.data, actor });
  });
  const done = kind === "exclude" ? "Excluded" : "Restored";
  process.stdout.write(
    `${done} ${correction.targetKind} ${correction.targetId} (correction ${correction.id}): ${correction.reason}\n`,
  );
}

function registerChange(parent: Command, kind: CorrectionKind, description: string): void {
  parent
    .command(kind)
    .description(description)
    .requiredOption("--study <id>", "study id (see `crux study list`)")
    .option("--match <id>", "a match of the study (its verdict, whenever it comes)")
    .option("--verdict <id>", "a verdict of the study")
    .option("--participant <id>", "a participant of the study (every verdict they gave)")
    .requiredOption("--reason <text>", "why (3 to 500 characters); kept with the correction")
    .option("--as <email>", "researcher or admin making the correction (default: the first admin)")
    .action((options: CorrectOptions) => correctAction(kind, options));
}

export function registerCorrectCommand(program: Command): void {
  const correct = program
    .command("correct")
    .description("Exclude a study's verdicts, matches or participants from its analysis, or restore them");
  registerChange(correct, "exclude", "Leave a verdict, match or participant out of the study's results, with a reason");
  registerChange(correct, "restore", "Bring back a verdict, match or participant excluded earlier, with a reason");
  correct
    .command("list")
    .description("List a study's corrections, newest first (id, when, exclude/restore, target, actor, reason)")
    .requiredOption("--study <id>", "study id")
    .option("--json", "one JSON object per line")
    .action(async (options: { study: string; json?: boolean }) => {
      const corrections = await withDb(async (db) => {
        if (!(await studyExists(db, options.study)))
          throw new Error(`no study with the id ${options.study} (see \`crux study list\`)`);
        return listCorrections(db, options.study);
      });
      if (corrections.length === 0 && !options.json) process.stderr.write("No corrections.\n");
      for (const c of corrections)
        process.stdout.write(
          options.json
            ? `${JSON.stringify(c)}\n`
            : `${c.id}\t${c.createdAt.toISOString()}\t${c.kind}\t${c.targetKind}:${c.targetId}\t${c.actorId}\t${c.reason}\n`,
        );
    });
}
