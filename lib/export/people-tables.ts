import { z } from "zod";
import { studyPayments } from "../studies/payments";
import { batches, iso } from "./batches";
import type { Row } from "./columns";
import type { ExportContext } from "./context";

/**
 * The rows of the participant tables of a study export: participants (with their recruiting platform's ids,
 * pseudonymised unless the export is raw), their survey answers (one row per participant × question) and every
 * comprehension-check submission. Keyed batches like the others.
 */

const surveySchema = z.record(z.string(), z.union([z.string(), z.number()])).catch({});
const answersSchema = z.array(z.number()).catch([]);

function participantPages(ctx: ExportContext) {
  return batches(
    ctx,
    (after: string | null) =>
      ctx.db.participant.findMany({
        where: { studyId: ctx.studyId, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take: ctx.batchSize,
      }),
    (p) => p.id,
  );
}

export async function* participantRows(ctx: ExportContext): AsyncGenerator<Row[]> {
  for await (const participants of participantPages(ctx)) {
    const judged = await ctx.db.match.groupBy({
      by: ["judgeId"],
      where: {
        studyId: ctx.studyId,
        practice: false,
        judgeId: { in: participants.map((p) => p.userId) },
        verdict: { isNot: null },
      },
      _count: { _all: true },
    });
    const counts = new Map(judged.map((j) => [j.judgeId, j._count._all]));
    yield participants.map((p) => ({
      study_id: ctx.studyId,
      participant_id: p.id,
      judge_id: ctx.judge(p.userId),
      version: ctx.versions.get(p.versionId)?.version ?? null,
      ordinal: p.ordinal,
      external_id: ctx.external(p.externalId),
      external_study_id: ctx.external(p.externalStudy),
      external_session_id: ctx.external(p.externalSession),
      stage: p.stage,
      status: p.status,
      check_failures: p.checkAttempts,
      matches_judged: counts.get(p.userId) ?? 0,
      completion_code: p.completionCode,
      joined_at: iso(p.createdAt),
      last_seen_at: iso(p.lastSeenAt),
      finished_at: iso(p.finishedAt),
      duration_ms: p.finishedAt ? p.finishedAt.getTime() - p.createdAt.getTime() : null,
    }));
  }
}

/**
 * One row per question of their version's survey for every participant who submitted it (those who completed the
 * study, or left answers): a skipped optional question is a row with `answered` false.
 */
export async function* surveyAnswerRows(ctx: ExportContext): AsyncGenerator<Row[]> {
  for await (const participants of participantPages(ctx)) {
    yield participants.flatMap((p) => {
      const answers = surveySchema.parse(p.survey);
      const submitted = p.status === "completed" || Object.keys(answers).length > 0;
      if (!submitted) return [];
      const questions = ctx.versions.get(p.versionId)?.survey ?? [];
      return questions.map((q, i) => {
        const answer = answers[q.id];
        return {
          study_id: ctx.studyId,
          participant_id: p.id,
          judge_id: ctx.judge(p.userId),
          question_id: q.id,
          position: i + 1,
          kind: q.kind,
          prompt: q.prompt,
          answered: answer !== undefined,
          answer: answer === undefined ? null : String(answer),
          answer_number: q.kind === "scale" && typeof answer === "number" ? answer : null,
          submitted_at: iso(p.finishedAt),
        };
      });
    });
  }
}

export async function* checkAttemptRows(ctx: ExportContext): AsyncGenerator<Row[]> {
  const pages = batches(
    ctx,
    (after: string | null) =>
      ctx.db.checkAttempt.findMany({
        where: { participant: { studyId: ctx.studyId }, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take: ctx.batchSize,
        include: { participant: { select: { userId: true } } },
      }),
    (a) => a.id,
  );
  for await (const attempts of pages) {
    yield attempts.map((a) => ({
      study_id: ctx.studyId,
      participant_id: a.participantId,
      judge_id: ctx.judge(a.participant.userId),
      attempt: a.attempt,
      answers: answersSchema.parse(a.answers).join("|"),
      correct: a.correct,
      questions: a.questions,
      passed: a.passed,
      created_at: iso(a.createdAt),
    }));
  }
}

/** What each participant is owed under the study's pay rule (lib/studies/payments.ts), one row per participant. */
export async function* paymentRows(ctx: ExportContext): AsyncGenerator<Row[]> {
  const payments = await studyPayments(ctx.db, ctx.studyId);
  for (let start = 0; start < payments.length; start += ctx.batchSize)
    yield payments.slice(start, start + ctx.batchSize).map((p) => ({
      study_id: ctx.studyId,
      participant_id: p.participantId,
      external_id: ctx.external(p.externalId),
      status: p.status,
      matches: p.matches,
      mean_score: p.meanScore,
      base_pay: p.base,
      bonus: p.bonus,
      total: p.total,
      currency: p.currency,
    }));
}
