import { z } from "zod";
import { batches, iso } from "./batches";
import { codebookRows, type ExportTable, type Row } from "./columns";
import type { ExportContext } from "./context";
import { auditRows, eventRows, modelCallRows } from "./log-tables";
import { checkAttemptRows, participantRows, paymentRows, surveyAnswerRows } from "./people-tables";

/**
 * The rows of the match tables of a study export (one per verdict, judge step, turn or match) and `tableRows`, which
 * picks any table's. Each reads the database in keyed batches (lib/export/batches.ts) and yields rows batch by
 * batch, so memory stays flat whatever the study's size.
 */

const seatsSchema = z.array(z.object({ seat: z.string(), option: z.number(), model: z.string() }).loose()).catch([]);
const configSchema = z
  .object({
    rounds: z.number().optional(),
    wordLimit: z.number().optional(),
    seed: z.number().optional(),
    firstSpeaker: z.string().optional(),
    optionOrder: z.array(z.number()).optional(),
  })
  .loose()
  .catch({});
const numbersSchema = z.array(z.number()).catch([]);
const quotesSchema = z.array(z.object({ verified: z.boolean() }).loose()).catch([]);

interface MatchLike {
  id: string;
  studyVersionId: string | null;
  configHash: string | null;
  condition: string | null;
  protocol: string;
  planKey: string | null;
  judgeId: string | null;
  judgeModel: string | null;
  debaters: unknown;
  question: { id: string; externalId: string; gold: number };
}

function matchCells(ctx: ExportContext, m: MatchLike): Row {
  return {
    study_id: ctx.studyId,
    version: m.studyVersionId ? (ctx.versions.get(m.studyVersionId)?.version ?? null) : null,
    config_hash: m.configHash,
    condition: m.condition,
    protocol: m.protocol,
    match_id: m.id,
    plan_key: m.planKey,
  };
}

function judgeCells(ctx: ExportContext, m: Pick<MatchLike, "judgeId" | "judgeModel">): Row {
  return {
    judge_id: ctx.judge(m.judgeId),
    judge_kind: m.judgeId ? "human" : m.judgeModel ? "ai" : null,
    judge_model: m.judgeModel,
  };
}

function seatCells(m: MatchLike): Row {
  const seats = seatsSchema.parse(m.debaters);
  const a = seats.find((s) => s.seat === "A");
  const b = seats.find((s) => s.seat === "B");
  return {
    debater_a_model: a?.model ?? null,
    debater_b_model: b?.model ?? null,
    debater_a_option: a?.option ?? null,
    consultant_honest: m.protocol === "consultancy" && a ? a.option === m.question.gold : null,
  };
}

/** Tags of imported debates (MatchTag rows), joined with |, by match id. */
async function tagsOf(ctx: ExportContext, matchIds: string[]): Promise<Map<string, string>> {
  const rows = await ctx.db.matchTag.findMany({
    where: { matchId: { in: matchIds } },
    orderBy: [{ matchId: "asc" }, { tag: "asc" }],
    select: { matchId: true, tag: true },
  });
  const tags = new Map<string, string[]>();
  for (const row of rows) tags.set(row.matchId, [...(tags.get(row.matchId) ?? []), row.tag]);
  return new Map([...tags].map(([id, list]) => [id, list.join("|")]));
}

const matchSelect = {
  id: true,
  studyVersionId: true,
  configHash: true,
  condition: true,
  protocol: true,
  planKey: true,
  judgeId: true,
  judgeModel: true,
  debaters: true,
  config: true,
  status: true,
  practice: true,
  createdAt: true,
  startedAt: true,
  endedAt: true,
  question: { select: { id: true, externalId: true, gold: true } },
} as const;

async function* verdictRows(ctx: ExportContext): AsyncGenerator<Row[]> {
  const pages = batches(
    ctx,
    (after: string | null) =>
      ctx.db.match.findMany({
        where: { ...ctx.matchWhere, verdict: { isNot: null }, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take: ctx.batchSize,
        select: { ...matchSelect, verdict: true },
      }),
    (m) => m.id,
  );
  for await (const matches of pages) {
    const tags = await tagsOf(
      ctx,
      matches.map((m) => m.id),
    );
    yield matches.flatMap((m) => {
      const v = m.verdict;
      if (!v) return [];
      const [p0 = null, p1 = null] = numbersSchema.parse(v.probabilities);
      return [
        {
          ...matchCells(ctx, m),
          question_id: m.question.id,
          question_external_id: m.question.externalId,
          ...judgeCells(ctx, m),
          ...seatCells(m),
          option_order: (configSchema.parse(m.config).optionOrder ?? [0, 1]).join("|"),
          gold: m.question.gold,
          chosen: v.chosen,
          correct: v.correct,
          p0,
          p1,
          score: v.score,
          explanation: v.explanation,
          rounds: v.rounds,
          time_taken_ms: v.timeTakenMs,
          started_at: iso(m.startedAt),
          ended_at: iso(m.endedAt),
          verdict_at: iso(v.createdAt),
          match_status: m.status,
          practice: m.practice,
          tags: tags.get(m.id) ?? "",
        },
      ];
    });
  }
}

async function* matchRows(ctx: ExportContext): AsyncGenerator<Row[]> {
  const pages = batches(
    ctx,
    (after: string | null) =>
      ctx.db.match.findMany({
        where: { ...ctx.matchWhere, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take: ctx.batchSize,
        select: {
          ...matchSelect,
          runId: true,
          slotId: true,
          sourceMatchId: true,
          error: true,
          verdict: { select: { id: true } },
          _count: { select: { turns: true, judgeSteps: true } },
        },
      }),
    (m) => m.id,
  );
  for await (const matches of pages) {
    const tags = await tagsOf(
      ctx,
      matches.map((m) => m.id),
    );
    yield matches.map((m) => {
      const config = configSchema.parse(m.config);
      return {
        ...matchCells(ctx, m),
        run_id: m.runId,
        slot_id: m.slotId,
        source_match_id: m.sourceMatchId,
        practice: m.practice,
        question_id: m.question.id,
        question_external_id: m.question.externalId,
        ...judgeCells(ctx, m),
        ...seatCells(m),
        max_rounds: config.rounds ?? null,
        word_limit: config.wordLimit ?? null,
        seed: config.seed ?? null,
        first_speaker: config.firstSpeaker ?? null,
        option_order: (config.optionOrder ?? [0, 1]).join("|"),
        status: m.status,
        error: m.error,
        turns: m._count.turns,
        judge_steps: m._count.judgeSteps,
        has_verdict: m.verdict !== null,
        created_at: iso(m.createdAt),
        started_at: iso(m.startedAt),
        ended_at: iso(m.endedAt),
        tags: tags.get(m.id) ?? "",
      };
    });
  }
}

const matchBrief = {
  select: {
    condition: true,
    protocol: true,
    judgeId: true,
    judgeModel: true,
    question: { select: { gold: true } },
  },
} as const;

async function* judgeStepRows(ctx: ExportContext): AsyncGenerator<Row[]> {
  // Keyed on the (matchId, round) unique index: rows come out grouped by match, in round order.
  const pages = batches(
    ctx,
    (after: { matchId: string; round: number } | null) =>
      ctx.db.judgeStep.findMany({
        where: {
          match: ctx.matchWhere,
          ...(after
            ? { OR: [{ matchId: { gt: after.matchId } }, { matchId: after.matchId, round: { gt: after.round } }] }
            : {}),
        },
        orderBy: [{ matchId: "asc" }, { round: "asc" }],
        take: ctx.batchSize,
        include: { match: matchBrief },
      }),
    (s) => ({ matchId: s.matchId, round: s.round }),
  );
  for await (const steps of pages) {
    yield steps.map((s) => {
      const [p0 = null, p1 = null] = numbersSchema.parse(s.probabilities);
      return {
        study_id: ctx.studyId,
        condition: s.match.condition,
        protocol: s.match.protocol,
        match_id: s.matchId,
        ...judgeCells(ctx, s.match),
        gold: s.match.question.gold,
        round: s.round,
        p0,
        p1,
        action: s.action,
        message: s.message,
        created_at: iso(s.createdAt),
      };
    });
  }
}

async function* turnRows(ctx: ExportContext): AsyncGenerator<Row[]> {
  // Keyed on the (matchId, round, speaker) unique index: grouped by match, in round and seat order.
  const pages = batches(
    ctx,
    (after: { matchId: string; round: number; speaker: string } | null) =>
      ctx.db.turn.findMany({
        where: {
          match: ctx.matchWhere,
          ...(after
            ? {
                OR: [
                  { matchId: { gt: after.matchId } },
                  { matchId: after.matchId, round: { gt: after.round } },
                  { matchId: after.matchId, round: after.round, speaker: { gt: after.speaker } },
                ],
              }
            : {}),
        },
        orderBy: [{ matchId: "asc" }, { round: "asc" }, { speaker: "asc" }],
        take: ctx.batchSize,
        include: { match: matchBrief },
      }),
    (t) => ({ matchId: t.matchId, round: t.round, speaker: t.speaker }),
  );
  for await (const turns of pages) {
    yield turns.map((t) => {
      const quotes = quotesSchema.parse(t.quotes);
      return {
        study_id: ctx.studyId,
        condition: t.match.condition,
        protocol: t.match.protocol,
        match_id: t.matchId,
        round: t.round,
        speaker: t.speaker,
        option: t.option,
        argues_correct: t.option === t.match.question.gold,
        model: t.model,
        text: t.text,
        quotes_verified: quotes.filter((q) => q.verified).length,
        quotes_total: quotes.length,
        prompt_version: t.promptVersion,
        prompt_hash: t.promptHash,
        tokens_in: t.tokensIn,
        tokens_out: t.tokensOut,
        latency_ms: t.latencyMs,
        created_at: iso(t.createdAt),
      };
    });
  }
}

async function* annotationRows(ctx: ExportContext): AsyncGenerator<Row[]> {
  const pages = batches(
    ctx,
    (after: string | null) =>
      ctx.db.annotation.findMany({
        where: { match: ctx.matchWhere, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take: ctx.batchSize,
        include: {
          match: { select: { condition: true, protocol: true } },
          turn: { select: { round: true, speaker: true } },
        },
      }),
    (a) => a.id,
  );
  for await (const annotations of pages) {
    yield annotations.map((a) => ({
      study_id: ctx.studyId,
      condition: a.match.condition,
      protocol: a.match.protocol,
      match_id: a.matchId,
      annotation_id: a.id,
      author_id: ctx.judge(a.authorId),
      kind: a.kind,
      text: a.kind === "tag" ? a.tag : a.body,
      round: a.turn?.round ?? null,
      speaker: a.turn?.speaker ?? null,
      quote: a.quote,
      quote_start: a.quoteStart,
      quote_end: a.quoteEnd,
      created_at: iso(a.createdAt),
    }));
  }
}

/** The rows of one table, batch by batch. */
export function tableRows(ctx: ExportContext, table: ExportTable): AsyncGenerator<Row[]> {
  switch (table) {
    case "matches":
      return matchRows(ctx);
    case "turns":
      return turnRows(ctx);
    case "judge_steps":
      return judgeStepRows(ctx);
    case "verdicts":
      return verdictRows(ctx);
    case "participants":
      return participantRows(ctx);
    case "survey_answers":
      return surveyAnswerRows(ctx);
    case "check_attempts":
      return checkAttemptRows(ctx);
    case "payments":
      return paymentRows(ctx);
    case "model_calls":
      return modelCallRows(ctx);
    case "events":
      return eventRows(ctx);
    case "audit":
      return auditRows(ctx);
    case "annotations":
      return annotationRows(ctx);
    case "codebook":
      return once(codebookRows());
  }
}

async function* once(rows: Row[]): AsyncGenerator<Row[]> {
  yield rows;
}
