import { createHash } from "node:crypto";
import { otherOption, type Seat, toOptionIndex } from "../debate/vocabulary";
import { hashSeed, mulberry32 } from "../random";
import type { FrozenStudy } from "./config";

/**
 * The plan of a launched study: every judgment it asks for — each question under each condition,
 * `judgmentsPerQuestion` times — with its counterbalancing. Pure and deterministic from the frozen config, so the
 * human slots (materialised at launch) and automated runs (which create one match per item) agree on what
 * "the planned matches" are, and a re-run plans the same thing.
 */

/** How one judgment is counterbalanced: which seat argues the correct answer, who speaks first, screen order. */
export interface Balance {
  /** Seat arguing the correct option (for consultancy: "A" means the consultant is honest, "B" dishonest). */
  honestSeat: Seat;
  /** Whether the honest debater speaks first in sequential rounds. */
  honestFirst: boolean;
  /** Whether the correct option is shown first (left) on the judge's screen. */
  goldFirst: boolean;
}

export interface PlanItem {
  /**
   * Stable key of the item within its version: `<questionIndex>:<condition>:<replicate>`, or for a recorded condition
   * `s<sourceIndex>:<condition>:<replicate>`.
   */
  key: string;
  questionId: string;
  storyKey: string;
  condition: string;
  replicate: number;
  /**
   * Recorded conditions: the source debate replayed (its question and story are the item's). Its seats, options and
   * speaking order are the source's, so of the balance only the screen order (`goldFirst`) applies.
   */
  sourceMatchId?: string;
  balance: Balance;
  /** Seeded position among items, used to spread concurrent arrivals over different questions. */
  rank: number;
}

export interface PlanQuestion {
  id: string;
  /** Passage id, or the question id when the question has no passage. */
  storyKey: string;
}

/** A recorded condition's source debate, with its question and story. */
export interface PlanSource {
  matchId: string;
  questionId: string;
  storyKey: string;
}

/**
 * The four combinations of (honest seat, screen order) cycle along each condition's items, question-major, so
 * that (a) within a condition the correct side and screen position are balanced to within one item, and (b) the
 * replicates of one question get different combinations. Who speaks first is a third factor, alternating every
 * four items, so it is balanced across the condition too without being tied to the other two.
 */
export function balanceFor(index: number): Balance {
  const k = index % 4;
  return { honestSeat: k % 2 === 0 ? "A" : "B", goldFirst: k < 2, honestFirst: Math.floor(index / 4) % 2 === 0 };
}

/**
 * A recorded item's balance: only the screen order applies (seats and speaking order are the source's), so it
 * alternates item by item — a debate's replicates get both orders, and the condition is balanced to within one.
 */
function recordedBalance(index: number): Balance {
  return { ...balanceFor(index), goldFirst: index % 2 === 0 };
}

/**
 * Every planned judgment of a frozen study, in a stable order (question, then condition, then replicate): each pool
 * question under each live condition, each drawn source debate under its recorded condition (`sources`: the frozen
 * source debates' questions and stories), `judgmentsPerQuestion` times.
 */
export function planStudy(
  frozen: FrozenStudy,
  questions: readonly PlanQuestion[],
  sources: readonly PlanSource[] = [],
): PlanItem[] {
  const { conditions, judgmentsPerQuestion } = frozen.config;
  const byId = new Map(questions.map((q) => [q.id, q]));
  const sourceById = new Map(sources.map((s) => [s.matchId, s]));
  const items: PlanItem[] = [];
  conditions.forEach((condition, c) => {
    if (condition.protocol === "recorded") {
      (frozen.recordedSources?.[condition.name] ?? []).forEach((matchId, s) => {
        const source = sourceById.get(matchId);
        if (!source) throw new Error(`planned source debate ${matchId} is not in the database`);
        for (let r = 0; r < judgmentsPerQuestion; r++)
          items.push({
            key: `s${s}:${condition.name}:${r}`,
            questionId: source.questionId,
            storyKey: source.storyKey,
            condition: condition.name,
            replicate: r,
            sourceMatchId: matchId,
            balance: recordedBalance(s * judgmentsPerQuestion + r + c),
            rank: 0,
          });
      });
      return;
    }
    frozen.questionIds.forEach((questionId, q) => {
      const question = byId.get(questionId);
      if (!question) throw new Error(`planned question ${questionId} is not in the database`);
      for (let r = 0; r < judgmentsPerQuestion; r++) {
        // Offset by condition so a question does not get the same combination in every condition.
        const index = q * judgmentsPerQuestion + r + c;
        items.push({
          key: `${q}:${condition.name}:${r}`,
          questionId,
          storyKey: question.storyKey,
          condition: condition.name,
          replicate: r,
          balance: balanceFor(index),
          rank: 0,
        });
      }
    });
  });
  // Ranks: a seeded shuffle, lower replicates first so every question gets its first judgments before seconds.
  const random = mulberry32(hashSeed("plan", frozen.config.questions.seed));
  const jitter = items.map(() => random());
  const order = items
    .map((_, i) => i)
    .sort((a, b) => {
      const ia = items[a];
      const ib = items[b];
      if (!ia || !ib) return 0;
      return ia.replicate - ib.replicate || (jitter[a] ?? 0) - (jitter[b] ?? 0);
    });
  order.forEach((itemIndex, rank) => {
    const item = items[itemIndex];
    if (item) item.rank = rank;
  });
  return items;
}

/** Seat assignments, first speaker and option order of a match from its balance and the question's gold. */
export function matchSetup(balance: Balance, gold: number) {
  const other: Seat = balance.honestSeat === "A" ? "B" : "A";
  const right = toOptionIndex(gold);
  const wrong = otherOption(right);
  return {
    aOption: balance.honestSeat === "A" ? right : wrong,
    honest: balance.honestSeat === "A",
    firstSpeaker: balance.honestFirst ? balance.honestSeat : other,
    optionOrder: balance.goldFirst ? [right, wrong] : [wrong, right],
  };
}

/** JSON with object keys sorted at every level, so equal configs hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** SHA-256 (hex) of the canonical JSON of a frozen study: stored on the version and on every match. */
export function configHash(frozen: FrozenStudy): string {
  return createHash("sha256").update(canonicalJson(frozen)).digest("hex");
}
