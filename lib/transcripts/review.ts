import type { SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import { replayRounds, snapshotAtRound } from "../debate/replay";
import type { JudgeStepRecord } from "../debate/types";
import { type MatchSnapshot, type MatchView, viewFor } from "../debate/view";
import { CruxError } from "../errors";
import { getStoredMatch } from "../matches/repository";
import { storedSnapshot } from "../matches/snapshot";
import { assertObserverOf, OBSERVED_MATCH_SELECT, observerRefusal } from "../studies/match-access";
import { judgeKind, judgeLabel, LABELLED_PERSON_SELECT } from "./judge-label";

/**
 * One transcript for review (`/transcripts/<id>`), replay and comparison: the match as observers see it (through
 * `viewFor`, the one place that decides), with what a reviewer needs besides — who judged (pseudonymous), each
 * turn's model, tokens, latency and cost, and when each of the judge's steps came and how long it took. Who may
 * read it is who may observe the match (`assertObserverOf`): its own judge never while it runs.
 */

/** Model usage of a turn or a judge step, from its stored row and its ModelCall rows (null where unknown). */
export interface CallUsage {
  model: string | null;
  tokensIn: number | null;
  tokensOut: number | null;
  latencyMs: number | null;
  /** USD, summed over the calls (retries and pickers included); null when none is priced or a price is unknown. */
  costUsd: number | null;
  calls: number;
}

export interface TurnDetail extends CallUsage {
  /** The Turn row's id: the turn's anchor on the page is `turn-<id>`. */
  id: string;
  round: number;
  speaker: string;
  at: Date;
}

export interface JudgeStepDetail extends CallUsage {
  round: number;
  at: Date;
  /** From the last thing the judge was shown (start, the round's last turn, their previous step) to this step. */
  tookMs: number | null;
}

export interface TranscriptReview {
  view: MatchView;
  judge: { kind: "human" | "ai" | "none"; label: string };
  study: { id: string; name: string; condition: string | null } | null;
  questionId: string;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  turns: TurnDetail[];
  judgeSteps: JudgeStepDetail[];
  verdict: { at: Date; timeTakenMs: number } | null;
  /** Other matches of the same question the viewer may see (review page only; empty elsewhere). */
  others: OtherJudgment[];
}

/** The review of a match; NOT_FOUND for no such match, FORBIDDEN when `user` may not observe it. */
export async function getTranscriptReview(db: Db, user: SessionUser, matchId: string): Promise<TranscriptReview> {
  const { snapshot, details } = await loadReview(db, user, matchId);
  const others = await listOtherJudgments(db, user, matchId, details.questionId);
  return { view: viewFor(snapshot, "observer"), ...details, others };
}

/** One step of a replay: what the judge saw when deciding after `round` (null round: the end, story revealed). */
export interface TranscriptReplay extends Omit<TranscriptReview, "view" | "others"> {
  /** The view at this step: the judge's own (story hidden) before the end, the observer's at the end. */
  view: MatchView;
  rounds: number[];
  /** The round shown, or null for the end (the verdict and the story). */
  round: number | null;
  /** The judge's steps up to the one taken after the round shown (all of them at the end). */
  decisions: JudgeStepRecord[];
}

/**
 * A replay step: `round` one of the match's rounds (the judge's view, built by `viewFor(…, "judge")` from the match
 * cut back to that round) or null for the end. Same access as the review.
 */
export async function getTranscriptReplay(
  db: Db,
  user: SessionUser,
  matchId: string,
  round: number | null,
): Promise<TranscriptReplay> {
  const { snapshot, details } = await loadReview(db, user, matchId);
  const rounds = replayRounds(snapshot);
  const shown = round !== null && rounds.includes(round) ? round : null;
  const view = shown === null ? viewFor(snapshot, "observer") : viewFor(snapshotAtRound(snapshot, shown), "judge");
  const decisions = snapshot.judgeSteps.filter((s) => shown === null || s.round <= shown);
  return { ...details, view, rounds, round: shown, decisions };
}

async function loadReview(
  db: Db,
  user: SessionUser,
  matchId: string,
): Promise<{ snapshot: MatchSnapshot; details: Omit<TranscriptReview, "view" | "others"> }> {
  await assertObserverOf(db, user, matchId);
  const [stored, row] = await Promise.all([
    getStoredMatch(db, matchId),
    db.match.findUnique({
      where: { id: matchId },
      select: {
        createdAt: true,
        startedAt: true,
        endedAt: true,
        condition: true,
        judgeModel: true,
        judge: { select: LABELLED_PERSON_SELECT },
        study: { select: { id: true, name: true } },
        turns: {
          select: {
            id: true,
            round: true,
            speaker: true,
            model: true,
            tokensIn: true,
            tokensOut: true,
            latencyMs: true,
            createdAt: true,
          },
        },
        judgeSteps: { select: { round: true, createdAt: true }, orderBy: { round: "asc" } },
        verdict: { select: { createdAt: true, timeTakenMs: true } },
        modelCalls: {
          select: { round: true, role: true, seat: true, model: true, costUsd: true, cached: true, error: true },
        },
      },
    }),
  ]);
  if (!stored || !row) throw new CruxError("NOT_FOUND", "No such match.");
  // A reviewer reads models by their spec (the exact model matters here, not the player-facing label).
  const snapshot = storedSnapshot(stored, (spec) => ({
    spec,
    label: spec,
    isLanguageModel: !spec.startsWith("offline:"),
  }));
  const callsOf = (round: number, roles: string[], seat: string | null) =>
    row.modelCalls.filter((c) => c.round === round && roles.includes(c.role) && (seat === null || c.seat === seat));
  const cost = (calls: typeof row.modelCalls) =>
    calls.length === 0 || calls.some((c) => c.costUsd === null && !c.cached && c.error === null)
      ? null
      : calls.reduce((sum, c) => sum + (c.costUsd ?? 0), 0);
  const start = (row.startedAt ?? row.createdAt).getTime();
  let previous = start;
  const judgeSteps = row.judgeSteps.map((step): JudgeStepDetail => {
    const shown = Math.max(
      previous,
      ...row.turns.filter((t) => t.round <= step.round).map((t) => t.createdAt.getTime()),
    );
    previous = Math.max(previous, step.createdAt.getTime());
    const calls = callsOf(step.round, ["judge"], null);
    return {
      round: step.round,
      at: step.createdAt,
      tookMs: Math.max(0, step.createdAt.getTime() - shown),
      model: row.judgeModel,
      tokensIn: null,
      tokensOut: null,
      latencyMs: null,
      costUsd: cost(calls),
      calls: calls.length,
    };
  });
  return {
    snapshot,
    details: {
      judge: { kind: judgeKind(row), label: judgeLabel(user, row) },
      study: row.study ? { id: row.study.id, name: row.study.name, condition: row.condition } : null,
      questionId: stored.question.id,
      createdAt: row.createdAt,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
      turns: row.turns.map((turn) => {
        const calls = callsOf(turn.round, ["debater", "picker"], turn.speaker);
        return {
          id: turn.id,
          round: turn.round,
          speaker: turn.speaker,
          at: turn.createdAt,
          model: turn.model,
          tokensIn: turn.tokensIn,
          tokensOut: turn.tokensOut,
          latencyMs: turn.latencyMs,
          costUsd: cost(calls),
          calls: calls.length,
        };
      }),
      judgeSteps,
      verdict: row.verdict ? { at: row.verdict.createdAt, timeTakenMs: row.verdict.timeTakenMs } : null,
    },
  };
}

/** Another match of the same question that the viewer may see, for "other judgments of this question". */
export interface OtherJudgment {
  id: string;
  protocol: string;
  condition: string | null;
  status: string;
  correct: boolean | null;
  createdAt: Date;
}

/** Up to `limit` other matches of the question (newest first) that `user` may observe, not practice ones. */
export async function listOtherJudgments(
  db: Db,
  user: SessionUser,
  matchId: string,
  questionId: string,
  limit = 20,
): Promise<OtherJudgment[]> {
  const rows = await db.match.findMany({
    where: { questionId, id: { not: matchId }, practice: false },
    orderBy: { createdAt: "desc" },
    take: limit * 5,
    select: {
      ...OBSERVED_MATCH_SELECT,
      id: true,
      protocol: true,
      condition: true,
      createdAt: true,
      verdict: { select: { correct: true } },
    },
  });
  return rows
    .filter((row) => observerRefusal(user, row) === null)
    .slice(0, limit)
    .map((row) => ({
      id: row.id,
      protocol: row.protocol,
      condition: row.condition,
      status: row.status,
      correct: row.verdict?.correct ?? null,
      createdAt: row.createdAt,
    }));
}

/** Two transcripts side by side; each checked as on its own page (NOT_FOUND / FORBIDDEN for either). */
export async function getTranscriptComparison(
  db: Db,
  user: SessionUser,
  a: string,
  b: string,
): Promise<[TranscriptReview, TranscriptReview]> {
  return Promise.all([getTranscriptReview(db, user, a), getTranscriptReview(db, user, b)]);
}
