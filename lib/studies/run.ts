import type { Db } from "../db/client";
import { isSettledMatchStatus, type MatchStatus } from "../debate/vocabulary-lists";
import { MatchHeldElsewhere } from "../matches/leases";
import type { MatchRunner } from "../matches/runner";
import type { ProvidersConfig } from "../models/providers/config";
import { serverProviders } from "../models/runtime";
import { createConditionMatch } from "./assignment";
import { type StudyConfig, studyConfigSchema } from "./config";
import { type PlanItem, planStudy } from "./plan";
import { loadPlanSources } from "./recorded-sources";
import { assertModelsCallable, getStudyVersion, launchStudy, type StudyVersionRecord } from "./repository";
import type { RunJobData, RunJobResult, RunQueue } from "./run-queue";
import { getRunQueue } from "./run-queue-registry";
import { type StudyRunStatus, studyRunStatusSchema } from "./vocabulary";

/**
 * Automated runs: every planned judgment of a study version, judged by an AI judge instead of a person, with
 * bounded concurrency. One StudyRun row per (version, judge) records progress, so a run is resumable: completed
 * plan items are skipped, a match that was in flight when the process stopped is continued where it was (the
 * runner resumes from the database), and an errored or abandoned one is tried again with a fresh match. Model calls
 * go through the response cache, so re-running a finished study is free and reproducible.
 *
 * Where it runs: in this process (no REDIS_URL), or, given a `queue` (REDIS_URL), spread over every app instance's
 * worker as one job per plan item (lib/studies/run-queue.ts): this process then enqueues and reports progress.
 */

/** The judge key of a run that uses each condition's own `judge` spec. */
export const PER_CONDITION = "per-condition";
/** How often a running run saves and reports its progress. */
const PROGRESS_INTERVAL_MS = 1000;

export interface RunProgress {
  runId: string;
  judge: string;
  status: StudyRunStatus;
  total: number;
  completed: number;
  errored: number;
  skipped: number;
  costUsd: number;
  startedAt: Date;
  /** Seconds left at the pace so far; null until one match has finished in this process. */
  etaSeconds: number | null;
}

/** Why matches errored, grouped: the stored reason (for researchers) and how many matches ended with it. */
export interface ErrorReason {
  reason: string;
  count: number;
}

/** How many distinct reasons a run lists (most frequent first); the rest are summed into one "other" line. */
const REASONS_SHOWN = 5;

/** The errored matches of each run, grouped by reason, most frequent first. */
export async function runErrorReasons(db: Db, runIds: readonly string[]): Promise<Map<string, ErrorReason[]>> {
  const groups = await db.match.groupBy({
    by: ["runId", "error"],
    where: { runId: { in: [...runIds] }, status: "errored" },
    _count: { _all: true },
  });
  const byRun = new Map<string, ErrorReason[]>();
  for (const g of groups) {
    if (!g.runId) continue;
    const reason = g.error ?? "no reason was recorded";
    byRun.set(g.runId, [...(byRun.get(g.runId) ?? []), { reason, count: g._count._all }]);
  }
  for (const [runId, reasons] of byRun) byRun.set(runId, topReasons(reasons));
  return byRun;
}

/** The most frequent reasons, then one line counting the others. */
export function topReasons(reasons: readonly ErrorReason[], shown = REASONS_SHOWN): ErrorReason[] {
  const sorted = [...reasons].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  if (sorted.length <= shown) return sorted;
  const rest = sorted.slice(shown - 1);
  const others = rest.reduce((sum, r) => sum + r.count, 0);
  return [...sorted.slice(0, shown - 1), { reason: `${rest.length} other reasons`, count: others }];
}

export interface RunSummary extends RunProgress {
  /** Plan items this invocation ran (excludes those skipped as already done). */
  ran: number;
  /** Why this run's matches errored (every invocation of the run), grouped. */
  errors: ErrorReason[];
}

export interface RunOptions {
  studyId: string;
  /** Judge model spec for every condition; omitted: each condition's own `judge` (which must not be "human"). */
  judge?: string;
  concurrency: number;
  runner: MatchRunner;
  /** Stop taking new matches (those running finish or stay resumable). */
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** This server's provider settings (default: from the environment), to refuse models it cannot call. */
  providers?: ProvidersConfig;
  /**
   * Several instances (REDIS_URL): the matches are jobs of this queue, run by the instances' workers rather than
   * here (`concurrency` and `runner` then do not apply: each worker has its own).
   */
  queue?: RunQueue;
}

/** Runs (or resumes) the study's automated run and resolves when no plan item is left or the signal fired. */
export async function runStudy(db: Db, options: RunOptions): Promise<RunSummary> {
  const providers = options.providers ?? serverProviders();
  const version = await currentOrLaunchedVersion(db, options.studyId, providers);
  const judgeFor = judgeResolver(version, options.judge);
  // A version launched before its models stopped being callable (or with another judge) would only error match
  // after match: refuse the run with the reasons instead.
  assertRunModelsCallable(version.frozen.config, options.judge, providers);
  const items = await planOf(db, version);
  const judgeKey = options.judge ?? PER_CONDITION;
  const run = await db.studyRun.upsert({
    where: { versionId_judge: { versionId: version.id, judge: judgeKey } },
    create: { studyId: options.studyId, versionId: version.id, judge: judgeKey, total: items.length },
    update: { status: "running", total: items.length, endedAt: null, heartbeatAt: new Date() },
  });

  const existing = await db.match.findMany({
    where: { runId: run.id },
    select: { id: true, planKey: true, status: true },
    orderBy: { createdAt: "asc" },
  });
  const byKey = new Map<string, Array<{ id: string; status: string }>>();
  for (const m of existing) if (m.planKey) byKey.set(m.planKey, [...(byKey.get(m.planKey) ?? []), m]);

  const counts = { completed: 0, errored: 0, skipped: 0, ran: 0 };
  const todo: Array<{ item: PlanItem; resume: string | null }> = [];
  for (const item of items) {
    const matches = byKey.get(item.key) ?? [];
    if (matches.some((m) => m.status === "complete")) {
      counts.skipped++;
      continue;
    }
    const inFlight = matches.find((m) => m.status === "running" || m.status === "waiting");
    todo.push({ item, resume: inFlight?.id ?? null });
  }

  const started = Date.now();
  let costUsd = await runCost(db, run.id);
  const progress = (status: RunProgress["status"]): RunProgress => {
    const finished = counts.completed + counts.errored;
    const left = todo.length - finished;
    const elapsed = (Date.now() - started) / 1000;
    return {
      runId: run.id,
      judge: judgeKey,
      status,
      total: items.length,
      completed: counts.completed + counts.skipped,
      errored: counts.errored,
      skipped: counts.skipped,
      costUsd,
      startedAt: run.startedAt,
      etaSeconds: finished > 0 ? Math.round((elapsed / finished) * left * 10) / 10 : null,
    };
  };
  // Progress is saved (and reported) at most once a second while running, and always at the end: a run of
  // thousands of matches would otherwise write the run row after every one.
  let savedAt = 0;
  const save = async (status: RunProgress["status"]) => {
    if (status === "running" && Date.now() - savedAt < PROGRESS_INTERVAL_MS) return;
    savedAt = Date.now();
    const p = progress(status);
    await db.studyRun.update({
      where: { id: run.id },
      data: {
        status,
        completed: p.completed,
        errored: p.errored,
        skipped: p.skipped,
        costUsd: p.costUsd,
        heartbeatAt: new Date(),
        ...(status === "running" ? {} : { endedAt: new Date() }),
      },
    });
    options.onProgress?.(p);
  };
  await save("running");

  const finished = (status: MatchStatus) => {
    counts.ran++;
    if (status === "complete") counts.completed++;
    else counts.errored++;
  };
  if (options.queue) {
    await options.queue.runAll(
      todo.map(({ item }) => ({ runId: run.id, versionId: version.id, item, judgeModel: judgeFor(item.condition) })),
      {
        signal: options.signal,
        onOutcome: async (outcome) => {
          // A job that failed for good (every attempt threw) counts as an errored plan item, tried again next time.
          finished(outcome.ok ? outcome.result.status : "errored");
          if (outcome.ok) costUsd += outcome.result.costUsd;
          await save("running");
        },
      },
    );
  } else {
    const gold = await goldOf(
      db,
      todo.map((t) => t.item.questionId),
    );
    let next = 0;
    const worker = async () => {
      while (!options.signal?.aborted) {
        const entry = todo[next++];
        if (!entry) return;
        const { item } = entry;
        const matchId =
          entry.resume ??
          (await createRunMatch(db, version, item, {
            runId: run.id,
            judgeModel: judgeFor(item.condition),
            gold: gold.get(item.questionId) ?? 0,
          }));
        // A resumed match's earlier calls are in the cost already.
        const costBefore = entry.resume ? await matchCost(db, matchId) : 0;
        const snapshot = await options.runner.runToEnd(matchId);
        // A stop signal aborts in-flight calls: such a match stays resumable rather than counting as an error.
        if (options.signal?.aborted && snapshot.status !== "complete") return;
        finished(snapshot.status);
        costUsd += (await matchCost(db, matchId)) - costBefore;
        await save("running");
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, todo.length)) }, worker));
  }
  const allDone = counts.completed + counts.skipped === items.length;
  await save(allDone ? "complete" : "stopped");
  const errors = (await runErrorReasons(db, [run.id])).get(run.id) ?? [];
  return { ...progress(allDone ? "complete" : "stopped"), ran: counts.ran, errors };
}

async function goldOf(db: Db, questionIds: readonly string[]): Promise<Map<string, number>> {
  const questions = await db.question.findMany({
    where: { id: { in: [...new Set(questionIds)] } },
    select: { id: true, gold: true },
  });
  return new Map(questions.map((q) => [q.id, q.gold]));
}

/** A new match for a plan item of a run (its seed depends on the item only, so a redone item debates alike). */
async function createRunMatch(
  db: Db,
  version: StudyVersionRecord,
  item: PlanItem,
  options: { runId: string; judgeModel: string; gold: number },
): Promise<string> {
  const condition = version.frozen.config.conditions.find((c) => c.name === item.condition);
  if (!condition) throw new Error(`plan item ${item.key} names an unknown condition`);
  const match = await createConditionMatch(db, version, condition, {
    questionId: item.questionId,
    gold: options.gold,
    balance: item.balance,
    judgeModel: options.judgeModel,
    link: { runId: options.runId, planKey: item.key },
    seedParts: ["run", item.key],
  });
  return match.id;
}

/**
 * A queue worker's job (several instances): runs one plan item of a run to its end and says how it ended. The plan
 * item's matches are looked up first, so a job retried after its instance died runs no match twice: a complete one
 * is reported as it is, one in flight is resumed — by this instance, or, when another instance's runner holds its
 * lease (it took the match over), followed in the database until it settles — and only an item whose matches all
 * ended otherwise gets a new one. Throws when this instance stops before the match settles (the job is retried).
 */
export async function runPlanItemJob(
  db: Db,
  runner: MatchRunner,
  data: RunJobData,
  options: { signal: AbortSignal; pollMs: number },
): Promise<RunJobResult> {
  const matches = await db.match.findMany({
    where: { runId: data.runId, planKey: data.item.key },
    select: { id: true, status: true },
    orderBy: { createdAt: "asc" },
  });
  const complete = matches.find((m) => m.status === "complete");
  if (complete) return { matchId: complete.id, status: "complete", costUsd: 0 };
  const inFlight = matches.find((m) => !isSettledMatchStatus(m.status));
  let matchId = inFlight?.id;
  if (!matchId) {
    const version = await getStudyVersion(db, data.versionId);
    const gold = await goldOf(db, [data.item.questionId]);
    matchId = await createRunMatch(db, version, data.item, {
      runId: data.runId,
      judgeModel: data.judgeModel,
      gold: gold.get(data.item.questionId) ?? 0,
    });
  }
  const costBefore = inFlight ? await matchCost(db, matchId) : 0;
  const status = await driveToEnd(db, runner, matchId, options);
  if (!isSettledMatchStatus(status))
    throw new Error(`match ${matchId} was interrupted by this instance stopping; it is resumed elsewhere`);
  return { matchId, status, costUsd: (await matchCost(db, matchId)) - costBefore };
}

/** Runs a match to its end here, or waits for the instance that holds its lease to end it; its final status. */
async function driveToEnd(
  db: Db,
  runner: MatchRunner,
  matchId: string,
  options: { signal: AbortSignal; pollMs: number },
): Promise<string> {
  for (;;) {
    try {
      return (await runner.runToEnd(matchId)).status;
    } catch (error) {
      if (!(error instanceof MatchHeldElsewhere)) throw error;
    }
    // Another instance drives it: follow it until it settles, or until its lease lapses and this one takes it.
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
    const { status } = await db.match.findUniqueOrThrow({ where: { id: matchId }, select: { status: true } });
    if (isSettledMatchStatus(status) || options.signal.aborted) return status;
  }
}

function assertRunModelsCallable(config: StudyConfig, judge: string | undefined, providers: ProvidersConfig): void {
  assertModelsCallable(
    { ...config, conditions: config.conditions.map((c) => ({ ...c, judge: judge ?? c.judge })) },
    providers,
  );
}

/**
 * Refuses, before anything starts, a run whose debaters or judge this server cannot call: the study's live version
 * (or its draft, which the run would launch) with the run's judge in place of each condition's.
 */
export async function assertStudyRunnable(
  db: Db,
  options: { studyId: string; judge?: string; providers?: ProvidersConfig },
): Promise<void> {
  const study = await db.study.findUniqueOrThrow({
    where: { id: options.studyId },
    select: { currentVersionId: true, config: true },
  });
  const config = study.currentVersionId
    ? (await getStudyVersion(db, study.currentVersionId)).frozen.config
    : studyConfigSchema.parse(study.config);
  assertRunModelsCallable(config, options.judge, options.providers ?? serverProviders());
}

/** The version new work uses; a draft study is launched first (an automated run needs a frozen plan). */
async function currentOrLaunchedVersion(
  db: Db,
  studyId: string,
  providers: ProvidersConfig,
): Promise<StudyVersionRecord> {
  const study = await db.study.findUniqueOrThrow({ where: { id: studyId }, select: { currentVersionId: true } });
  if (study.currentVersionId) return getStudyVersion(db, study.currentVersionId);
  return launchStudy(db, studyId, { providers });
}

function judgeResolver(version: StudyVersionRecord, override: string | undefined): (condition: string) => string {
  const human = version.frozen.config.conditions.filter((c) => c.judge === "human").map((c) => c.name);
  if (!override && human.length)
    throw new Error(
      `condition${human.length > 1 ? "s" : ""} ${human.join(", ")} ${human.length > 1 ? "are" : "is"} judged by ` +
        "people: pass an AI judge, e.g. --judge offline:heuristic",
    );
  return (name) => override ?? version.frozen.config.conditions.find((c) => c.name === name)?.judge ?? "";
}

async function planOf(db: Db, version: StudyVersionRecord): Promise<PlanItem[]> {
  const rows = await db.question.findMany({
    where: { id: { in: version.frozen.questionIds } },
    select: { id: true, passageId: true },
  });
  return planStudy(
    version.frozen,
    rows.map((r) => ({ id: r.id, storyKey: r.passageId ?? r.id })),
    await loadPlanSources(db, version.frozen),
  );
}

/** What the model calls of one match cost (its calls are indexed by match). */
async function matchCost(db: Db, matchId: string): Promise<number> {
  const sum = await db.modelCall.aggregate({ where: { matchId }, _sum: { costUsd: true } });
  return sum._sum.costUsd ?? 0;
}

async function runCost(db: Db, runId: string): Promise<number> {
  const sum = await db.modelCall.aggregate({ where: { match: { runId } }, _sum: { costUsd: true } });
  return sum._sum.costUsd ?? 0;
}

/** A run as the study page lists it. */
export type RunListing = RunProgress & { errors: ErrorReason[] };

/** Progress of every automated run of a study, newest first, with why matches errored (the study page polls it). */
export async function listRuns(db: Db, studyId: string): Promise<RunListing[]> {
  const runs = await db.studyRun.findMany({ where: { studyId }, orderBy: { startedAt: "desc" } });
  const reasons = await runErrorReasons(
    db,
    runs.filter((r) => r.errored > 0).map((r) => r.id),
  );
  return runs.map((r) => ({
    errors: reasons.get(r.id) ?? [],
    runId: r.id,
    judge: r.judge,
    status: studyRunStatusSchema.catch("running").parse(r.status),
    total: r.total,
    completed: r.completed,
    errored: r.errored,
    skipped: r.skipped,
    costUsd: r.costUsd,
    startedAt: r.startedAt,
    etaSeconds: null,
  }));
}

/**
 * Starts an automated run from the server process (the study page's button) and returns at once; progress is
 * read back with `listRuns`. One run per study at a time in this process. With REDIS_URL its matches are spread
 * over every instance's worker; this process enqueues them and saves the progress.
 */
const globalForRuns = globalThis as unknown as { cruxStudyRuns?: Map<string, AbortController> };
export function startBackgroundRun(
  db: Db,
  runner: MatchRunner,
  options: { studyId: string; judge?: string; concurrency: number },
  log: (line: string) => void = console.error,
): { started: boolean } {
  globalForRuns.cruxStudyRuns ??= new Map();
  const running = globalForRuns.cruxStudyRuns;
  if (running.has(options.studyId)) return { started: false };
  const controller = new AbortController();
  running.set(options.studyId, controller);
  // Several instances (REDIS_URL): the run's matches go to the instances' workers through the queue.
  const queue = getRunQueue() ?? undefined;
  runStudy(db, { ...options, runner, signal: controller.signal, queue })
    .catch((error: unknown) => log(`automated run of study ${options.studyId} failed: ${String(error)}`))
    .finally(() => running.delete(options.studyId));
  return { started: true };
}

/** Stops a background run of this process (matches in flight stay resumable). */
export function stopBackgroundRun(studyId: string): boolean {
  const controller = globalForRuns.cruxStudyRuns?.get(studyId);
  controller?.abort();
  return Boolean(controller);
}
