import { duration } from "@/components/results/format";

/** A judge's time as people say it: "42 s", "3 min 5 s", "2 h 10 min", "3 days" (recorded debates ran for days). */
export function elapsed(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 90 * 60_000) return duration(ms);
  const minutes = Math.round(ms / 60_000);
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.round(minutes / (24 * 60))} days`;
}
