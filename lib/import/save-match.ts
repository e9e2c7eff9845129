import type { Db } from "../db/client";
import { asJson } from "../db/json";
import { type MatchConfig, storedMatchConfigSchema } from "../debate/config";
import { countWords } from "../debate/limits";
import { extractQuotes, type QuoteVerifier, verifyTurnQuotes } from "../debate/quotes";
import { chosenOption, judgeScore } from "../debate/scoring";
import type { DebaterSeat, Quote } from "../debate/types";
import { recordStudyVerdict } from "../matches/study-verdicts";
import type { ImportedStudy } from "./imported-study";
import type { ParsedDebate } from "./parse-debates";

/** One imported debate as a complete match of its dataset: turns, judge steps, verdict and an import event. */

/** The longest time taken a verdict can store: PostgreSQL's integer (milliseconds, about 24.8 days). */
export const MAX_TIME_TAKEN_MS = 2_147_483_647;

/** The match's frozen settings, from the data: rounds played, observed word limit, seed 0. */
export function importedMatchConfig(debate: ParsedDebate): MatchConfig {
  const lastRound = Math.max(1, ...debate.turns.map((t) => t.round), debate.verdict.rounds ?? 1);
  const longest = Math.max(0, ...debate.turns.map((t) => countWords(t.text)));
  return storedMatchConfigSchema.parse({
    protocol: debate.protocol,
    rounds: lastRound,
    wordLimit: debate.rules?.wordLimit ?? Math.min(1000, Math.max(20, longest)),
    laterRounds: debate.rules?.laterRounds ?? "sequential",
    firstSpeaker: debate.rules?.firstSpeaker ?? "A",
    seed: 0,
  });
}

export interface MatchContext {
  questionId: string;
  judgeId: string | null;
  study: ImportedStudy;
  dataset: string;
  verifier: QuoteVerifier | null;
}

export async function saveMatch(db: Db, debate: ParsedDebate, context: MatchContext): Promise<void> {
  const config = importedMatchConfig(debate);
  const gold = debate.question.gold;
  const debaters: Array<DebaterSeat & { name?: string }> = debate.debaters.map((d) => ({
    seat: d.seat,
    option: d.option,
    model: d.model ?? "human",
    ...(debate.protocol === "consultancy" ? { honest: d.option === gold } : {}),
    ...(d.name ? { name: d.name } : {}),
  }));
  const optionOf = new Map(debaters.map((d) => [d.seat, d]));
  const times = [
    ...debate.turns.flatMap((t) => (t.at ? [t.at.getTime()] : [])),
    ...debate.judgeSteps.flatMap((s) => (s.at ? [s.at.getTime()] : [])),
  ];
  const verdictAt = debate.verdict.at ?? (times.length ? new Date(Math.max(...times)) : undefined);
  const startedAt = times.length ? new Date(Math.min(...times)) : (debate.createdAt ?? verdictAt);
  const createdAt = debate.createdAt ?? startedAt;
  const rounds = debate.verdict.rounds ?? Math.max(1, ...debate.turns.map((t) => t.round));
  // A 50/50 verdict with no option given is a tie: stored with no option chosen (half correct in accuracy).
  const chosen = debate.verdict.chosen ?? chosenOption(debate.verdict.probabilities);
  // Derived from the dates, it may span weeks (NYU rooms stayed open for days): capped at what the column holds on
  // PostgreSQL (a 32-bit integer, about 24.8 days), where a longer one would fail the whole import.
  const timeTakenMs =
    debate.verdict.timeTakenMs ??
    (debate.verdict.at && startedAt
      ? Math.min(MAX_TIME_TAKEN_MS, Math.max(0, debate.verdict.at.getTime() - startedAt.getTime()))
      : 0);

  const match = await db.match.create({
    data: {
      questionId: context.questionId,
      protocol: debate.protocol,
      config: asJson(config),
      debaters: asJson(debaters),
      judgeId: context.judgeId,
      judgeModel: debate.judge.kind === "ai" ? (debate.judge.model ?? null) : null,
      status: "complete",
      createdAt,
      startedAt: startedAt ?? null,
      endedAt: verdictAt ?? null,
      studyId: context.study.studyId,
      studyVersionId: context.study.versionId,
      condition: debate.condition ?? debate.protocol,
      configHash: context.study.configHash,
      planKey: debate.id,
      turns: {
        create: debate.turns.map((turn) => {
          const seat = optionOf.get(turn.speaker);
          return {
            round: turn.round,
            speaker: turn.speaker,
            option: seat?.option ?? 0,
            text: turn.text,
            quotes: asJson(turnQuotes(turn.text, turn.quotes, context.verifier)),
            model: seat?.model ?? "human",
            latencyMs: turn.latencyMs ?? 0,
            meta: asJson({ imported: true }),
            ...(turn.at ? { createdAt: turn.at } : {}),
          };
        }),
      },
      judgeSteps: {
        create: debate.judgeSteps.map((step) => ({
          round: step.round,
          probabilities: step.probabilities,
          action: step.action,
          message: step.message ?? null,
          ...(step.at ? { createdAt: step.at } : {}),
        })),
      },
      verdict: {
        create: {
          probabilities: debate.verdict.probabilities,
          chosen,
          correct: chosen === gold,
          score: judgeScore(debate.verdict.probabilities, gold, { ...config.scoring, roundsUsed: rounds }),
          explanation: debate.verdict.explanation ?? null,
          rounds,
          timeTakenMs,
          ...(verdictAt ? { createdAt: verdictAt } : {}),
        },
      },
      tags: { create: (debate.tags ?? []).map((tag) => ({ tag })) },
      events: {
        create: {
          type: "match.imported",
          payload: asJson({
            dataset: context.dataset,
            debateId: debate.id,
            line: debate.line,
            tags: debate.tags ?? [],
            meta: debate.meta ?? {},
          }),
        },
      },
    },
    select: { id: true },
  });
  await recordStudyVerdict(db, match.id);
}

/** With a passage, quotes are Crux's own check of the `<quote>` tags; without one, the source's or unverified. */
function turnQuotes(text: string, given: Quote[] | undefined, verifier: QuoteVerifier | null): Quote[] {
  if (verifier) return verifyTurnQuotes(text, verifier);
  if (given) return given.map((q) => ({ text: q.text, verified: q.verified }));
  return extractQuotes(text).map((q) => ({ text: q.text, verified: false }));
}
