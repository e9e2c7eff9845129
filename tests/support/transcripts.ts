import type { Db } from "../../lib/db/client";
import { asJson } from "../../lib/db/json";
import { matchConfigSchema } from "../../lib/debate/config";

/** Transcript fixtures: matches written straight to a test database, as the runner or the importer would. */

export interface MatchSpec {
  studyId?: string;
  condition?: string;
  protocol?: "debate" | "consultancy";
  judgeId?: string;
  judgeModel?: string;
  models?: [string, string];
  turns?: string[];
  judgeMessage?: string;
  verdict?: { p: number; correct: boolean; rounds: number; explanation?: string };
  status?: string;
  createdAt?: string;
  tags?: string[];
  questionIndex?: number;
}

/** A match with its turns, a judge step and a verdict, written as the runner or the importer would. */
export async function makeMatch(db: Db, spec: MatchSpec): Promise<{ id: string; turnIds: string[] }> {
  const questions = await db.question.findMany({ where: { source: "synthetic" }, orderBy: { externalId: "asc" } });
  const question = questions[spec.questionIndex ?? 0];
  if (!question) throw new Error("no question");
  const [a, b] = spec.models ?? ["offline:extractive", "offline:extractive"];
  const v = spec.verdict;
  const chosen = v ? (v.correct ? question.gold : 1 - question.gold) : 0;
  const probabilities = chosen === 0 ? [v?.p ?? 0.5, 1 - (v?.p ?? 0.5)] : [1 - (v?.p ?? 0.5), v?.p ?? 0.5];
  const match = await db.match.create({
    data: {
      questionId: question.id,
      protocol: spec.protocol ?? "debate",
      config: asJson(matchConfigSchema.parse({ protocol: spec.protocol ?? "debate", rounds: 3, seed: 1 })),
      debaters: asJson([
        { seat: "A", option: 0, model: a },
        { seat: "B", option: 1, model: b },
      ]),
      judgeId: spec.judgeId ?? null,
      judgeModel: spec.judgeId ? null : (spec.judgeModel ?? "offline:heuristic"),
      status: spec.status ?? (v ? "complete" : "waiting"),
      createdAt: new Date(spec.createdAt ?? "2026-11-20T12:00:00Z"),
      studyId: spec.studyId ?? null,
      condition: spec.condition ?? null,
      turns: {
        create: (spec.turns ?? []).map((text, i) => ({
          round: Math.floor(i / 2) + 1,
          speaker: i % 2 === 0 ? "A" : "B",
          option: i % 2,
          text,
          quotes: asJson([]),
          model: i % 2 === 0 ? a : b,
          latencyMs: 10,
        })),
      },
      judgeSteps: spec.judgeMessage
        ? { create: [{ round: 1, probabilities: asJson([0.5, 0.5]), action: "continue", message: spec.judgeMessage }] }
        : undefined,
      verdict: v
        ? {
            create: {
              probabilities: asJson(probabilities),
              chosen,
              correct: v.correct,
              score: 0,
              rounds: v.rounds,
              timeTakenMs: 1000,
              explanation: v.explanation ?? null,
            },
          }
        : undefined,
      tags: spec.tags ? { create: spec.tags.map((tag) => ({ tag })) } : undefined,
    },
    select: { id: true, turns: { select: { id: true }, orderBy: [{ round: "asc" }, { speaker: "asc" }] } },
  });
  return { id: match.id, turnIds: match.turns.map((t) => t.id) };
}
