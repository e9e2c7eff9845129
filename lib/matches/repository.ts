import { z } from "zod";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { asJson } from "../db/json";
import { type MatchConfig, storedMatchConfigSchema } from "../debate/config";
import type { DebaterSeat, JudgeStepRecord, Quote, TurnRecord, VerdictRecord } from "../debate/types";
import type { RecordedSource } from "../debate/view";
import {
  ACTIVE_MATCH_STATUSES,
  judgeActionSchema,
  type MatchStatus,
  matchStatusSchema,
  OPTION_COUNT,
  seatSchema,
} from "../debate/vocabulary";
import type { CallMeta, ModelCallRecord } from "../models/types";
import { compactCallPrompt, savePromptParts, storedPromptRefs } from "./prompt-parts";
import { recordStudyVerdict } from "./study-verdicts";

/**
 * Data access for matches: verb-noun functions over Prisma that return plain domain data. JSON columns are
 * parsed with zod on the way out, so a corrupt row fails loudly here instead of deep in the UI.
 */

const debatersSchema = z.array(
  z.object({ seat: seatSchema, option: z.number().int().min(0), model: z.string(), honest: z.boolean().optional() }),
);
const quotesSchema = z.array(
  z.object({ text: z.string(), verified: z.boolean(), start: z.number().optional(), end: z.number().optional() }),
);
const numbersSchema = z.array(z.number());
/** A question's options as stored: exactly two, which every rule and model here relies on. */
const optionsSchema = z.array(z.string()).length(OPTION_COUNT, { error: "a question needs exactly two options" });

export interface StoredMatch {
  id: string;
  status: MatchStatus;
  error: string | null;
  protocol: string;
  config: MatchConfig;
  debaters: DebaterSeat[];
  judgeId: string | null;
  judgeModel: string | null;
  createdAt: Date;
  startedAt: Date | null;
  /** When the match last moved (start, a turn, a judge step): judge time limits count from here. */
  lastActivityAt: Date;
  question: {
    id: string;
    source: string;
    text: string;
    options: string[];
    gold: number;
    passage: { title: string; text: string; license: string } | null;
    /** The Passage row of the story: model calls refer to it instead of copying the story (./prompt-parts.ts). */
    passageId: string | null;
  };
  turns: TurnRecord[];
  judgeSteps: JudgeStepRecord[];
  verdict: VerdictRecord | null;
  /** Protocol `recorded`: the match it replays, with its judge's steps and verdict (secret until the verdict). */
  source?: RecordedSource | null;
}

export interface CreateMatchInput {
  questionId: string;
  config: MatchConfig;
  debaters: DebaterSeat[];
  judgeId?: string | null;
  judgeModel?: string | null;
  study?: MatchStudyLink;
  /** A play request's idempotency key (unique across matches). */
  requestKey?: string;
  /** Protocol `recorded`: the stored match it replays. */
  sourceMatchId?: string;
}

/** What ties a match to a study: stored with it for assignment, resumable runs and analysis. */
export interface MatchStudyLink {
  studyId: string;
  studyVersionId: string;
  condition: string;
  configHash: string;
  slotId?: string;
  runId?: string;
  planKey?: string;
  practice?: boolean;
}

/** Creates a match in status `waiting`. */
export async function createMatch(db: Db, input: CreateMatchInput): Promise<{ id: string }> {
  return db.match.create({
    data: {
      questionId: input.questionId,
      protocol: input.config.protocol,
      config: input.config,
      debaters: asJson(input.debaters),
      judgeId: input.judgeId ?? null,
      judgeModel: input.judgeModel ?? null,
      requestKey: input.requestKey ?? null,
      // Left out unless set, so that a database migrated before the column (tests of older migrations) still takes play matches.
      ...(input.sourceMatchId ? { sourceMatchId: input.sourceMatchId } : {}),
      ...input.study,
      events: {
        create: { type: "match.created", payload: asJson({ config: input.config, debaters: input.debaters }) },
      },
    },
    select: { id: true },
  });
}

/** The match created for a play request's key, with its judge; null when no match has that key. */
export async function findMatchByRequestKey(
  db: Db,
  requestKey: string,
): Promise<{ id: string; judgeId: string | null } | null> {
  return db.match.findUnique({ where: { requestKey }, select: { id: true, judgeId: true } });
}

/** Loads a match with its question, passage, turns, judge steps and verdict; null when it does not exist. */
export async function getStoredMatch(db: Db, id: string): Promise<StoredMatch | null> {
  const row = await db.match.findUnique({
    where: { id },
    include: {
      question: { include: { passage: true } },
      turns: { orderBy: [{ round: "asc" }, { createdAt: "asc" }] },
      judgeSteps: { orderBy: { round: "asc" } },
      verdict: true,
      source: {
        select: {
          id: true,
          judgeId: true,
          judgeModel: true,
          judgeSteps: { orderBy: { round: "asc" } },
          verdict: true,
        },
      },
    },
  });
  if (!row) return null;
  const { question } = row;
  return {
    id: row.id,
    status: matchStatusSchema.parse(row.status),
    error: row.error,
    protocol: row.protocol,
    config: storedMatchConfigSchema.parse(row.config),
    debaters: debatersSchema.parse(row.debaters),
    judgeId: row.judgeId,
    judgeModel: row.judgeModel,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    lastActivityAt: new Date(
      Math.max(
        (row.startedAt ?? row.createdAt).getTime(),
        ...row.turns.map((t) => t.createdAt.getTime()),
        ...row.judgeSteps.map((s) => s.createdAt.getTime()),
      ),
    ),
    question: {
      id: question.id,
      source: question.source,
      text: question.text,
      options: optionsSchema.parse(question.options),
      gold: question.gold,
      passage: question.passage
        ? { title: question.passage.title, text: question.passage.text, license: question.passage.license }
        : null,
      passageId: question.passage?.id ?? null,
    },
    turns: row.turns.map((t) => ({
      round: t.round,
      speaker: seatSchema.parse(t.speaker),
      option: t.option,
      text: t.text,
      quotes: quotesSchema.parse(t.quotes) as Quote[],
      model: t.model,
    })),
    judgeSteps: row.judgeSteps.map(judgeStepOf),
    verdict: row.verdict ? verdictOf(row.verdict) : null,
    source: row.source
      ? {
          matchId: row.source.id,
          judge: row.source.judgeModel
            ? { kind: "ai", label: row.source.judgeModel }
            : { kind: "human", label: "a person" },
          judgeSteps: row.source.judgeSteps.map(judgeStepOf),
          verdict: row.source.verdict ? verdictOf(row.source.verdict) : null,
        }
      : null,
  };
}

function judgeStepOf(s: {
  round: number;
  probabilities: unknown;
  action: string;
  message: string | null;
}): JudgeStepRecord {
  return {
    round: s.round,
    probabilities: numbersSchema.parse(s.probabilities),
    action: judgeActionSchema.parse(s.action),
    message: s.message,
  };
}

function verdictOf(v: {
  probabilities: unknown;
  chosen: number | null;
  correct: boolean;
  score: number;
  explanation: string | null;
  rounds: number;
}): VerdictRecord {
  return {
    probabilities: numbersSchema.parse(v.probabilities),
    chosen: v.chosen,
    correct: v.correct,
    score: v.score,
    explanation: v.explanation,
    rounds: v.rounds,
  };
}

/**
 * Persists a finished turn. A turn already stored for the same seat and round is kept (idempotent). One INSERT:
 * Prisma runs an upsert as a transaction of five statements, and this is on every turn of every match.
 */
export async function saveTurn(db: Db, matchId: string, turn: TurnRecord, meta: CallMeta, extra: object = {}) {
  await db.turn
    .create({
      select: { id: true },
      data: {
        matchId,
        round: turn.round,
        speaker: turn.speaker,
        option: turn.option,
        text: turn.text,
        quotes: asJson(turn.quotes),
        model: meta.model,
        promptVersion: meta.promptVersion,
        promptHash: meta.promptHash ?? null,
        tokensIn: meta.tokensIn ?? null,
        tokensOut: meta.tokensOut ?? null,
        latencyMs: Math.round(meta.latencyMs),
        meta: asJson(extra),
      },
    })
    .catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
    });
}

/** Records a judge step and, when it ends the match, the verdict — in one transaction. */
export async function saveJudgeStep(
  db: Db,
  matchId: string,
  step: JudgeStepRecord,
  verdict: (VerdictRecord & { timeTakenMs: number }) | null,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.judgeStep.create({
      select: { id: true },
      data: {
        matchId,
        round: step.round,
        probabilities: step.probabilities,
        action: step.action,
        message: step.message ?? null,
      },
    });
    if (verdict) {
      await tx.verdict.create({
        select: { id: true },
        data: {
          matchId,
          probabilities: verdict.probabilities,
          chosen: verdict.chosen,
          correct: verdict.correct,
          score: verdict.score,
          explanation: verdict.explanation ?? null,
          rounds: verdict.rounds,
          timeTakenMs: verdict.timeTakenMs,
        },
      });
      await tx.match.update({
        where: { id: matchId },
        select: { id: true },
        data: { status: "complete", endedAt: new Date() },
      });
      await recordStudyVerdict(tx, matchId);
    }
    await tx.event.create({
      select: { id: true },
      data: { matchId, type: verdict ? "match.verdict" : "judge.step", payload: asJson({ step, verdict }) },
    });
  });
}

/** Moves a match to a new status (recording start/end times and an error message where relevant). */
export async function setMatchStatus(db: Db, matchId: string, status: MatchStatus, error?: string): Promise<void> {
  const now = new Date();
  await db.match.update({
    where: { id: matchId },
    select: { id: true },
    data: {
      status,
      error: error ?? null,
      ...(status === "running" ? { startedAt: now } : {}),
      ...(status === "errored" || status === "abandoned" ? { endedAt: now } : {}),
      events: { create: { type: `match.${status}`, payload: error ? { error } : {} } },
    },
  });
}

/** Matches that were being played when the process stopped: resumed at start. */
export async function listInFlightMatchIds(db: Db): Promise<string[]> {
  const rows = await db.match.findMany({ where: { status: "running" }, select: { id: true } });
  return rows.map((r) => r.id);
}

/**
 * Matches a person judges outside any study, waiting or running, whose last activity (start — or creation when
 * never started —, a turn, a judge step: as `getStoredMatch` counts it) is before `cutoff`: the idle reaper's
 * candidates. Study matches follow the study's dropout rule instead; AI-judged ones never wait for anybody.
 */
export async function listIdleMatchIds(db: Db, cutoff: Date): Promise<string[]> {
  const rows = await db.match.findMany({
    where: {
      status: { in: [...ACTIVE_MATCH_STATUSES] },
      judgeModel: null,
      studyId: null,
      OR: [{ startedAt: { lt: cutoff } }, { startedAt: null, createdAt: { lt: cutoff } }],
      turns: { none: { createdAt: { gte: cutoff } } },
      judgeSteps: { none: { createdAt: { gte: cutoff } } },
    },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => r.id);
}

/** A judge's unfinished matches outside studies (waiting or running), oldest first: the per-person limit counts them. */
export async function listOpenPlayMatchIds(db: Db, judgeId: string): Promise<string[]> {
  const rows = await db.match.findMany({
    where: { judgeId, judgeModel: null, studyId: null, status: { in: [...ACTIVE_MATCH_STATUSES] } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => r.id);
}

/** Where a model call was made, and the long texts its prompt shares with others (./prompt-parts.ts). */
export interface ModelCallContext {
  matchId: string;
  round: number;
  seat?: string;
  /** The match's story: referred to by its Passage row, never copied. */
  passage?: { id: string; text: string } | null;
  /** Other texts repeated across the match's prompts (the earlier turns as the transcript renders them). */
  shared?: readonly string[];
}

/**
 * Stores one model call (prompt, raw output, usage, cost, latency), failed calls included. The prompt is stored
 * without its long shared texts: the story refers to its Passage row, the system prompt and the earlier turns are
 * kept once in PromptPart (./prompt-parts.ts); `withFullPrompts` gives back the exact JSON text sent.
 */
export async function recordModelCall(db: Db, context: ModelCallContext, call: ModelCallRecord): Promise<void> {
  const compact = compactCallPrompt(JSON.stringify(call.prompt), {
    passage: context.passage,
    shared: [...(context.shared ?? []), call.prompt.system],
  });
  await db.$transaction(async (tx) => {
    await savePromptParts(tx, compact.parts);
    await tx.modelCall.create({
      select: { id: true },
      data: {
        matchId: context.matchId,
        round: context.round,
        seat: context.seat ?? null,
        role: call.role,
        model: call.model,
        promptVersion: call.promptVersion,
        promptHash: call.promptHash,
        prompt: asJson(JSON.parse(compact.json) as object),
        promptParts: asJson(storedPromptRefs(compact.refs)),
        settings: asJson(call.settings),
        output: call.output,
        error: call.error ?? null,
        attempts: call.attempts,
        cached: call.cached,
        tokensIn: call.tokensIn ?? null,
        tokensOut: call.tokensOut ?? null,
        costUsd: call.costUsd,
        latencyMs: call.latencyMs,
      },
    });
  });
}

/** Totals of a match's model calls: how many, tokens, cost (null when any call's price is unknown). */
export async function getMatchUsage(
  db: Db,
  matchId: string,
): Promise<{ calls: number; cachedCalls: number; tokensIn: number; tokensOut: number; costUsd: number | null }> {
  const [totals, cached, unpriced] = await Promise.all([
    db.modelCall.aggregate({
      where: { matchId },
      _count: { _all: true },
      _sum: { tokensIn: true, tokensOut: true, costUsd: true },
    }),
    db.modelCall.count({ where: { matchId, cached: true } }),
    db.modelCall.count({ where: { matchId, costUsd: null, error: null } }),
  ]);
  return {
    calls: totals._count._all,
    cachedCalls: cached,
    tokensIn: totals._sum.tokensIn ?? 0,
    tokensOut: totals._sum.tokensOut ?? 0,
    costUsd: unpriced > 0 ? null : (totals._sum.costUsd ?? 0),
  };
}
