import { type MatchConfigInput, matchConfigSchema } from "../../lib/debate/config";
import type { JudgeStepRecord, TurnRecord, VerdictRecord } from "../../lib/debate/types";
import { isSettledMatchStatus, type MatchStatus, type Seat } from "../../lib/debate/vocabulary";
import type { MatchStore } from "../../lib/matches/match-store";
import type { StoredMatch } from "../../lib/matches/repository";
import type { ModelResolver } from "../../lib/models/resolver";
import type {
  CallOptions,
  DebaterModel,
  DebaterTurnInput,
  JudgeInput,
  JudgeModel,
  JudgeReply,
  ModelInfo,
} from "../../lib/models/types";

/**
 * Fakes for the match runner's unit tests, in the spirit of tldraw's TestSocketPair: nothing happens on its own.
 * The store answers at once from memory; every model call waits until the test answers it, so a test decides
 * exactly when each turn ends, and fake timers decide when each deadline passes.
 */

/** A stored match to start from: two debaters, a two-option question with a short passage, status `waiting`. */
export function matchFixture(
  config: Omit<MatchConfigInput, "seed"> = {},
  overrides: Partial<StoredMatch> = {},
): StoredMatch {
  const createdAt = new Date();
  return {
    id: "m1",
    status: "waiting",
    error: null,
    protocol: config.protocol ?? "debate",
    config: matchConfigSchema.parse({ seed: 7, ...config }),
    debaters: [
      { seat: "A", option: 0, model: "fake:debater" },
      { seat: "B", option: 1, model: "fake:debater" },
    ],
    judgeId: "judge-1",
    judgeModel: null,
    createdAt,
    startedAt: null,
    lastActivityAt: createdAt,
    question: {
      id: "q1",
      source: "test",
      text: "Who took the key?",
      options: ["The gardener", "The cook"],
      gold: 0,
      passage: { title: "The key", text: "The gardener took the key from the hook.", license: "test" },
      passageId: "p1",
    },
    turns: [],
    judgeSteps: [],
    verdict: null,
    ...overrides,
  };
}

/** What was written, in order, so tests can check that a write happened once, or not at all. */
export type StoreWrite =
  | { kind: "status"; matchId: string; status: MatchStatus; error?: string }
  | { kind: "turn"; matchId: string; turn: TurnRecord }
  | { kind: "judge-step"; matchId: string; step: JudgeStepRecord; verdict: VerdictRecord | null };

/** The runner's store in memory: keeps what a database would, and counts loads (a load means "not in memory"). */
export class MemoryMatchStore implements MatchStore {
  readonly matches = new Map<string, StoredMatch>();
  readonly writes: StoreWrite[] = [];
  loads = 0;
  modelCalls = 0;
  /** Errors the next calls of an operation throw, one per call (`failNext`). */
  private readonly faults = new Map<string, Error[]>();
  /** Matches whose stored row no longer parses: loading them throws, as the repository's zod parse does. */
  readonly corrupt = new Set<string>();

  constructor(...matches: StoredMatch[]) {
    for (const match of matches) this.matches.set(match.id, structuredClone(match));
  }

  /** The match as stored (a copy). */
  stored(matchId: string): StoredMatch {
    const match = this.matches.get(matchId);
    if (!match) throw new Error(`no match ${matchId} in the store`);
    return structuredClone(match);
  }

  /** Makes the next `times` calls of `operation` fail with `error` (a busy database, say) before doing anything. */
  failNext(operation: "saveTurn" | "saveJudgeStep" | "setMatchStatus", error: Error, times = 1): void {
    this.faults.set(operation, [...(this.faults.get(operation) ?? []), ...Array<Error>(times).fill(error)]);
  }

  async getMatch(matchId: string): Promise<StoredMatch | null> {
    this.loads += 1;
    if (this.corrupt.has(matchId)) throw new Error(`match ${matchId}: config does not parse`);
    const match = this.matches.get(matchId);
    return match ? structuredClone(match) : null;
  }

  async listInFlightMatchIds(): Promise<string[]> {
    return [...this.matches.values()].filter((m) => m.status === "running").map((m) => m.id);
  }

  async listIdleMatchIds(cutoff: Date): Promise<string[]> {
    return [...this.matches.values()]
      .filter((m) => !m.judgeModel && !isSettledMatchStatus(m.status))
      .filter((m) => m.lastActivityAt.getTime() < cutoff.getTime())
      .map((m) => m.id);
  }

  async saveTurn(matchId: string, turn: TurnRecord): Promise<void> {
    this.fault("saveTurn");
    const match = this.require(matchId);
    if (match.turns.some((t) => t.round === turn.round && t.speaker === turn.speaker)) return;
    match.turns.push(structuredClone(turn));
    match.lastActivityAt = new Date();
    this.writes.push({ kind: "turn", matchId, turn });
  }

  async saveJudgeStep(
    matchId: string,
    step: JudgeStepRecord,
    verdict: (VerdictRecord & { timeTakenMs: number }) | null,
  ): Promise<void> {
    this.fault("saveJudgeStep");
    const match = this.require(matchId);
    match.judgeSteps.push(structuredClone(step));
    match.lastActivityAt = new Date();
    if (verdict) {
      const { timeTakenMs: _, ...record } = verdict;
      match.verdict = record;
      match.status = "complete";
    }
    this.writes.push({ kind: "judge-step", matchId, step, verdict });
  }

  async setMatchStatus(matchId: string, status: MatchStatus, error?: string): Promise<void> {
    this.fault("setMatchStatus");
    const match = this.require(matchId);
    match.status = status;
    match.error = error ?? null;
    if (status === "running") {
      match.startedAt = new Date();
      match.lastActivityAt = match.startedAt;
    }
    this.writes.push({ kind: "status", matchId, status, ...(error ? { error } : {}) });
  }

  async recordModelCall(): Promise<void> {
    this.modelCalls += 1;
  }

  /** Writes of one kind, for assertions. */
  writesOf<K extends StoreWrite["kind"]>(kind: K): Extract<StoreWrite, { kind: K }>[] {
    return this.writes.filter((w): w is Extract<StoreWrite, { kind: K }> => w.kind === kind);
  }

  private fault(operation: string): void {
    const error = this.faults.get(operation)?.shift();
    if (error) throw error;
  }

  private require(matchId: string): StoredMatch {
    const match = this.matches.get(matchId);
    if (!match) throw new Error(`no match ${matchId} in the store`);
    return match;
  }
}

/** A model call the test has not answered yet. */
export interface PendingCall<Input, Answer> {
  input: Input;
  signal: AbortSignal | undefined;
  /** Streams a chunk of text (debaters). */
  stream(text: string): void;
  /** Answers the call: a debater's text, or a judge's reply. */
  answer(answer: Answer): void;
  fail(error: Error): void;
}

export type PendingTurn = PendingCall<DebaterTurnInput, string>;
export type PendingJudgement = PendingCall<JudgeInput, Omit<JudgeReply, "meta">>;

const INFO: ModelInfo = { spec: "fake:debater", label: "Fake debater", isLanguageModel: false };
const META = { model: "fake:debater", promptVersion: "fake.v1", latencyMs: 1 };

/**
 * Debaters and judges whose every call waits for the test. A call rejects with the abort reason as soon as its
 * signal aborts, as the real adapters do.
 */
export class ScriptedModels implements ModelResolver {
  readonly turns: PendingTurn[] = [];
  readonly judgements: PendingJudgement[] = [];
  /** Calls whose signal was aborted, in order. */
  readonly aborted: string[] = [];

  debater(): DebaterModel {
    return {
      info: INFO,
      argue: (input, options) =>
        this.pending(this.turns, input, options, `turn ${input.round}${input.seat}`, (text: string) => ({
          text,
          meta: META,
        })),
    };
  }

  judge(): JudgeModel {
    return {
      info: { ...INFO, spec: "fake:judge", label: "Fake judge" },
      judge: (input, options) =>
        this.pending(this.judgements, input, options, `judge ${input.round}`, (reply: Omit<JudgeReply, "meta">) => ({
          ...reply,
          meta: META,
        })),
    };
  }

  info(spec: string): ModelInfo {
    return { ...INFO, spec };
  }

  list(): ModelInfo[] {
    return [INFO];
  }

  /** The unanswered turn of `seat` in `round`; throws when the runner has not asked for it. */
  turn(round: number, seat: Seat): PendingTurn {
    const call = this.turns.find((c) => c.input.round === round && c.input.seat === seat);
    if (!call) throw new Error(`no pending turn ${round}${seat}; pending: ${this.describe()}`);
    return call;
  }

  /** Answers every pending turn with a short argument for its option. */
  answerTurns(): void {
    for (const call of [...this.turns]) call.answer(`Round ${call.input.round}: option ${call.input.option} is right.`);
  }

  /** The pending calls, e.g. "turn 1A, turn 1B". */
  describe(): string {
    return [
      ...this.turns.map((c) => `turn ${c.input.round}${c.input.seat}`),
      ...this.judgements.map((c) => `judge ${c.input.round}`),
    ].join(", ");
  }

  private pending<Input, Answer, Reply>(
    list: PendingCall<Input, Answer>[],
    input: Input,
    options: CallOptions | undefined,
    label: string,
    toReply: (answer: Answer) => Reply,
  ): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      let settled = false;
      // Each call settles once: an abort after the answer (or a second answer) changes nothing.
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        list.splice(list.indexOf(call), 1);
        return true;
      };
      const call: PendingCall<Input, Answer> = {
        input,
        signal: options?.signal,
        stream: (text) => options?.onDelta?.(text),
        answer: (answer) => {
          if (settle()) resolve(toReply(answer));
        },
        fail: (error) => {
          if (settle()) reject(error);
        },
      };
      list.push(call);
      options?.signal?.addEventListener("abort", () => {
        if (settled) return;
        this.aborted.push(label);
        call.fail(new Error(`${label} aborted`));
      });
    });
  }
}
