/** How the results page writes numbers: one place, so tables, charts and captions agree. */

/** 0.8421 → "84.2%"; null → "—". */
export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "—" : `${(value * 100).toFixed(digits)}%`;
}

/** A 95% interval as "[74.1%, 90.3%]". */
export function interval(ci: readonly [number, number] | null | undefined): string {
  return ci ? `[${percent(ci[0])}, ${percent(ci[1])}]` : "—";
}

/** A difference in points: +10.2 / −3.0. */
export function points(value: number): string {
  const rounded = (value * 100).toFixed(1);
  return value >= 0 ? `+${rounded}` : rounded.replace("-", "−");
}

/** A plain number with a few decimals, or "—". */
export function decimal(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(digits);
}

/** Milliseconds as "42 s" or "3 min 5 s". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const seconds = Math.round(ms / 1000);
  if (seconds < 90) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** Colours of the conditions in every chart (in the order the conditions come). */
export const CONDITION_COLOURS = ["#3b5bdb", "#c2410c", "#0f766e", "#7048e8", "#b3261e", "#5c940d", "#e8590c"];
