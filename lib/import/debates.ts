import { writeInBatches } from "../db/batches";
import type { Db } from "../db/client";
import { retryTransient } from "../db/errors";
import { createQuoteVerifier, type QuoteVerifier } from "../debate/quotes";
import { zodErrorMessage } from "../errors";
import { setNameSchema } from "../questions/schema";
import type { DebateImportError } from "./debate-schema";
import { checkConditions, type ImportedStudy, loadImportedConfig, saveImportedStudy } from "./imported-study";
import { type ParsedDebate, parseDebateFile } from "./parse-debates";
import { saveMatch } from "./save-match";
import { passageKey, questionExternalId, saveJudges, savePassages, saveQuestions } from "./save-records";

export { judgeUserName } from "./save-records";

/**
 * Loads external debates (docs/debate-import-format.md) into a dataset: a Study with status "imported" whose
 * matches, turns, judge steps and verdicts look like those of a study run in Crux, so the exports, statistics and
 * review pages take it like any study. Nothing is written when a debate is invalid, unless `allowPartial`; idempotent
 * by debate id; written in short batches (see below).
 */

export const DEFAULT_DEBATE_LICENSE = "as provided by the importer";

export interface ImportDebatesOptions {
  content: string;
  /** Dataset name: the study's name and the question set (Question.source) of its questions. */
  dataset: string;
  allowPartial?: boolean;
  license?: string;
  /** Email of the researcher or admin who owns a new dataset (default: the first admin, see lib/studies/owner.ts). */
  ownerEmail?: string;
  /** Shown in the study's description. */
  fileName?: string;
}

export interface ImportDebatesResult {
  /** Debates that passed validation. */
  valid: number;
  imported: number;
  /** Valid debates whose id the dataset already has. */
  skipped: number;
  errors: DebateImportError[];
  questions: number;
  passages: number;
  judges: number;
  study: ImportedStudy | null;
}

/** Parses `content` and imports it. Throws on a bad dataset name or licence; bad rows come back in `errors`. */
export async function importDebates(db: Db, options: ImportDebatesOptions): Promise<ImportDebatesResult> {
  const dataset = setNameSchema.safeParse(options.dataset);
  if (!dataset.success) throw new Error(zodErrorMessage(dataset.error, { path: false }));
  const source = dataset.data;
  const license = (options.license ?? DEFAULT_DEBATE_LICENSE).trim();
  if (license === "") throw new Error("the licence must not be empty");

  const { debates, errors } = parseDebateFile(options.content);
  const nothing = (skipped = 0): ImportDebatesResult => ({
    valid: debates.length,
    imported: 0,
    skipped,
    errors: errors.sort((a, b) => a.line - b.line),
    questions: 0,
    passages: 0,
    judges: 0,
    study: null,
  });
  if (errors.length > 0 && !options.allowPartial) return nothing();

  // Already imported (by debate id, stored as the match's planKey) → skipped.
  const existingStudy = await db.study.findFirst({ where: { name: source, status: "imported" }, select: { id: true } });
  const present = new Set<string>();
  if (existingStudy) {
    const rows = await db.match.findMany({ where: { studyId: existingStudy.id }, select: { planKey: true } });
    for (const row of rows) if (row.planKey) present.add(row.planKey);
  }
  const fresh = debates.filter((d) => !present.has(d.id));
  const skipped = debates.length - fresh.length;

  // Conditions keep one protocol each; questions agree with what the set holds under the same id.
  const consistent = checkConditions(await loadImportedConfig(db, existingStudy?.id ?? null), fresh, errors);
  const ok = await checkQuestions(db, source, consistent, errors);
  if ((errors.length > 0 && !options.allowPartial) || ok.length === 0) return nothing(skipped);

  // In short batches (lib/db/batches.ts), so that a server on the same database is never held up for long: first
  // each debate's passage, question and judge, then the dataset's study (which lists the questions), then the
  // matches. Every step is idempotent, so an import that stopped half way completes when run again.
  const records = await writeInBatches(db, ok, async (tx, debate) => {
    const passages = await savePassages(tx, source, [debate], license);
    const questions = await saveQuestions(tx, source, [debate], passages.ids, license);
    const judges = await saveJudges(tx, source, [debate]);
    const questionId = questions.ids.get(questionExternalId(debate));
    if (!questionId) throw new Error(`question of debate ${debate.id} was not saved`);
    const judgeId = debate.judge.kind === "human" ? (judges.ids.get(debate.judge.id ?? "") ?? null) : null;
    return { questionId, judgeId, passages: passages.created, questions: questions.created, judges: judges.created };
  });
  const study = await retryTransient(() =>
    db.$transaction((tx) =>
      saveImportedStudy(tx as Db, {
        dataset: source,
        ownerEmail: options.ownerEmail,
        studyId: existingStudy?.id ?? null,
        debates: ok.map((d, i) => ({ ...d, questionId: records[i]?.questionId ?? "" })),
        description: `Imported with crux import debates${options.fileName ? ` from ${options.fileName}` : ""}. Licence: ${license}`,
      }),
    ),
  );
  const verifiers = new Map<string, QuoteVerifier>();
  await writeInBatches(
    db,
    ok.map((debate, i) => ({ debate, record: records[i] })),
    async (tx, { debate, record }) => {
      if (!record) throw new Error(`records of debate ${debate.id} were not saved`);
      await saveMatch(tx, debate, {
        questionId: record.questionId,
        judgeId: record.judgeId,
        study,
        dataset: source,
        verifier: verifierFor(debate, verifiers),
      });
    },
  );
  const total = (key: "passages" | "questions" | "judges") => records.reduce((sum, r) => sum + r[key], 0);
  const counts = { questions: total("questions"), passages: total("passages"), judges: total("judges"), study };
  return {
    valid: debates.length,
    imported: ok.length,
    skipped,
    errors: errors.sort((a, b) => a.line - b.line),
    ...counts,
  };
}

function verifierFor(debate: ParsedDebate, cache: Map<string, QuoteVerifier>): QuoteVerifier | null {
  if (!debate.passage) return null;
  const key = passageKey(debate.passage.text);
  let verifier = cache.get(key);
  if (!verifier) {
    verifier = createQuoteVerifier(debate.passage.text);
    cache.set(key, verifier);
  }
  return verifier;
}

/** What identifies a question's content: a later debate under the same id must match it. */
function questionSignature(text: string, options: unknown, gold: number, passageText: string | null): string {
  return JSON.stringify([text, options, gold, passageText === null ? null : passageKey(passageText)]);
}

/** Debates whose question agrees with the set and with earlier lines; the others are reported in `errors`. */
async function checkQuestions(db: Db, source: string, debates: ParsedDebate[], errors: DebateImportError[]) {
  const ids = [...new Set(debates.map(questionExternalId))];
  const stored = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.question.findMany({
      where: { source, externalId: { in: ids.slice(i, i + 500) } },
      select: { externalId: true, text: true, options: true, gold: true, passage: { select: { text: true } } },
    });
    for (const q of rows)
      stored.set(q.externalId, questionSignature(q.text, q.options, q.gold, q.passage?.text ?? null));
  }
  const seen = new Map<string, { signature: string; line: number }>();
  return debates.filter((debate) => {
    const id = questionExternalId(debate);
    const { question, passage } = debate;
    const signature = questionSignature(question.text, question.options, question.gold, passage?.text ?? null);
    const inSet = stored.get(id);
    if (inSet !== undefined && inSet !== signature) {
      errors.push({
        line: debate.line,
        message: `question.id "${id}" is already in set "${source}" with a different text, options, gold or passage`,
      });
      return false;
    }
    const earlier = seen.get(id);
    if (earlier && earlier.signature !== signature) {
      errors.push({
        line: debate.line,
        message: `question.id "${id}" differs from the question of line ${earlier.line} (text, options, gold or passage)`,
      });
      return false;
    }
    if (!earlier) seen.set(id, { signature, line: debate.line });
    return true;
  });
}
