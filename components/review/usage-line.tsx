import { duration } from "@/components/results/format";
import type { CallUsage } from "@/lib/transcripts/review";

/** "gpt-4o · 812 → 164 tokens · 3 s · $0.0021": what a turn or judge step used, the parts that are known. */
export function UsageLine({ usage }: { usage: CallUsage }) {
  const parts = [
    usage.model,
    usage.tokensIn !== null || usage.tokensOut !== null
      ? `${usage.tokensIn ?? "?"} → ${usage.tokensOut ?? "?"} tokens`
      : null,
    usage.latencyMs !== null ? duration(usage.latencyMs) : null,
    usage.costUsd !== null ? `$${usage.costUsd.toFixed(4)}` : null,
    usage.calls > 1 ? `${usage.calls} calls` : null,
  ].filter((part): part is string => Boolean(part));
  if (parts.length === 0) return null;
  return (
    <span className="usage muted" data-testid="usage">
      {parts.join(" · ")}
    </span>
  );
}
