import type { MatchSnapshot } from "./view";

/**
 * Replaying a finished match as its judge saw it. The match is cut back to the moment the judge was deciding after
 * `round` (turns of that round and before, the judge's own earlier steps, no verdict); passing the result to
 * `viewFor(…, "judge")` then hides exactly what the judge could not see then (the story, except in the expert
 * protocol; the answer; quote positions) — the same rule as live, not a second copy of it.
 */
export function snapshotAtRound(match: MatchSnapshot, round: number): MatchSnapshot {
  return {
    ...match,
    status: "running",
    error: null,
    turns: match.turns.filter((t) => t.round <= round),
    judgeSteps: match.judgeSteps.filter((s) => s.round < round),
    verdict: null,
    live: [],
    phase: { kind: "judge", round, final: round >= match.config.rounds },
    deadline: null,
  };
}

/** The rounds a replay steps through: every round with turns or a judge step, in order (at least round 1). */
export function replayRounds(match: Pick<MatchSnapshot, "turns" | "judgeSteps">): number[] {
  const rounds = new Set([...match.turns.map((t) => t.round), ...match.judgeSteps.map((s) => s.round)]);
  rounds.delete(0);
  return rounds.size > 0 ? [...rounds].sort((a, b) => a - b) : [1];
}
