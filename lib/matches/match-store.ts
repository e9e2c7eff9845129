import type { Db } from "../db/client";
import type { JudgeStepRecord, TurnRecord, VerdictRecord } from "../debate/types";
import type { MatchStatus } from "../debate/vocabulary";
import type { CallMeta, ModelCallRecord } from "../models/types";
import {
  getStoredMatch,
  listIdleMatchIds,
  listInFlightMatchIds,
  type ModelCallContext,
  recordModelCall,
  type StoredMatch,
  saveJudgeStep,
  saveTurn,
  setMatchStatus,
} from "./repository";

/**
 * Everything the match runner reads and writes. In the server and the CLI it is the matches repository on a
 * database ({@link createMatchStore}); the runner's unit tests pass an in-memory one, so the queue, timers, eviction
 * and aborts can be driven with fake timers and no database.
 */
export interface MatchStore {
  /** The match with its turns, judge steps and verdict; null when it does not exist. */
  getMatch(matchId: string): Promise<StoredMatch | null>;
  /** Matches left running when the process last stopped. */
  listInFlightMatchIds(): Promise<string[]>;
  /** Human-judged matches outside studies, waiting or running, with no activity stored since `cutoff`. */
  listIdleMatchIds(cutoff: Date): Promise<string[]>;
  /** Stores a finished turn; a turn already stored for the same round and seat is kept. */
  saveTurn(matchId: string, turn: TurnRecord, meta: CallMeta, extra: object): Promise<void>;
  /** Stores a judge step and, when it ends the match, the verdict (the match becomes complete). */
  saveJudgeStep(
    matchId: string,
    step: JudgeStepRecord,
    verdict: (VerdictRecord & { timeTakenMs: number }) | null,
  ): Promise<void>;
  setMatchStatus(matchId: string, status: MatchStatus, error?: string): Promise<void>;
  /** The context names the long texts of the match (its story, earlier turns) kept once (./prompt-parts.ts). */
  recordModelCall(context: ModelCallContext, call: ModelCallRecord): Promise<void>;
}

/** The runner's store on a database: the matches repository. */
export function createMatchStore(db: Db): MatchStore {
  return {
    getMatch: (matchId) => getStoredMatch(db, matchId),
    listInFlightMatchIds: () => listInFlightMatchIds(db),
    listIdleMatchIds: (cutoff) => listIdleMatchIds(db, cutoff),
    saveTurn: (matchId, turn, meta, extra) => saveTurn(db, matchId, turn, meta, extra),
    saveJudgeStep: (matchId, step, verdict) => saveJudgeStep(db, matchId, step, verdict),
    setMatchStatus: (matchId, status, error) => setMatchStatus(db, matchId, status, error),
    recordModelCall: (context, call) => recordModelCall(db, context, call),
  };
}
