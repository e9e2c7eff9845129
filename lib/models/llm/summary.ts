import type { CallMeta, ModelCallRecord } from "../types";

/** Totals over the calls behind one reply: tokens, cost (null if any price is unknown) and wall time. */
export function summarizeCalls(
  calls: readonly ModelCallRecord[],
  startedAt: number,
): Pick<CallMeta, "tokensIn" | "tokensOut" | "costUsd" | "latencyMs"> {
  const sum = (pick: (c: ModelCallRecord) => number | undefined) =>
    calls.some((c) => pick(c) !== undefined) ? calls.reduce((total, c) => total + (pick(c) ?? 0), 0) : undefined;
  const costUsd = calls.some((c) => c.costUsd === null) ? null : calls.reduce((t, c) => t + (c.costUsd ?? 0), 0);
  return {
    tokensIn: sum((c) => c.tokensIn),
    tokensOut: sum((c) => c.tokensOut),
    costUsd,
    latencyMs: Math.round(performance.now() - startedAt),
  };
}
