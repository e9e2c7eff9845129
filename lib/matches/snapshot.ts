import { nextStep, orderTurns } from "../debate/rounds";
import type { MatchPhase, MatchSnapshot } from "../debate/view";
import type { ModelInfo } from "../models/types";
import type { StoredMatch } from "./repository";

/** What happens next in a stored match (derived from its status, turns and steps by the rules). */
export function phaseOf(stored: StoredMatch): MatchPhase {
  if (stored.status === "waiting") return { kind: "waiting" };
  if (stored.status === "errored" || stored.status === "abandoned") return { kind: "errored" };
  if (stored.verdict) return { kind: "complete" };
  const step = nextStep(stored.config, stored.turns, stored.judgeSteps, stored.verdict);
  if (step.kind === "turns") return { kind: "turns", round: step.round, seats: step.seats };
  if (step.kind === "judge") return { kind: "judge", round: step.round, final: step.round >= stored.config.rounds };
  return { kind: "complete" };
}

/**
 * A stored match as a snapshot with nothing live (no streams, no deadline): what a transcript's review shows, through
 * `viewFor` like everything else. `info` labels the debaters' models.
 */
export function storedSnapshot(stored: StoredMatch, info: (spec: string) => ModelInfo): MatchSnapshot {
  return {
    id: stored.id,
    status: stored.status,
    error: stored.error,
    config: stored.config,
    question: stored.question,
    debaters: stored.debaters.map((d) => {
      const model = info(d.model);
      return { ...d, label: model.label, isLanguageModel: model.isLanguageModel };
    }),
    turns: orderTurns(stored.turns, stored.config),
    judgeSteps: [...stored.judgeSteps],
    verdict: stored.verdict,
    live: [],
    phase: phaseOf(stored),
    deadline: null,
    source: stored.source ?? null,
  };
}
