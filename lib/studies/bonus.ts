import { z } from "zod";
import { CURRENCIES } from "./vocabulary";

/**
 * How a study pays its participants (docs/studies.md, "Pay"): a base pay for completing it and an optional bonus
 * from their mean match score. Pure (the design form and the participant's page import it):
 *
 *   bonus = min(cap, max(0, (mean score − floor) × perPoint)), rounded to the nearest cent (half up).
 *
 * The mean is over the participant's scored matches (practice excluded), each scored by its condition's rule with
 * its round cost (lib/debate/scoring.ts: 1 = certain and right, 0 = 50–50). No scored match, no bonus.
 */

const money = (max: number) => z.number().min(0).max(max).multipleOf(0.01, "use whole cents (at most 2 decimals)");

/** The bonus rule: so much per point of mean score above the floor, up to the cap. */
export const bonusRuleSchema = z.strictObject({
  /** Money per point of mean score above the floor (a point: from 50–50 to certain and right). */
  perPoint: money(1000),
  /** The mean score from which the bonus starts (0: a judge who always says 50–50 earns none). */
  floor: z.number().min(-10).max(1).default(0),
  /** The most one participant's bonus can be. */
  cap: money(10_000),
});
export type BonusRule = z.output<typeof bonusRuleSchema>;

export const currencySchema = z.enum(CURRENCIES);
export type Currency = z.infer<typeof currencySchema>;

export const payConfigSchema = z.strictObject({
  /** Paid (by the recruiting platform) for completing the study; shown to participants. */
  basePay: money(10_000).default(0),
  currency: currencySchema.default("GBP"),
  /** null: no performance bonus. */
  bonus: bonusRuleSchema.nullable().default(null),
});
export type PayConfig = z.output<typeof payConfigSchema>;

/** Rounds to the nearest cent, halves away from zero (1.005 → 1.01, though 1.005 × 100 is 100.4999… in binary). */
export function roundToCents(amount: number): number {
  return (Math.sign(amount) * Math.round(Math.abs(amount) * 100 + 1e-6)) / 100;
}

/** The mean of the scores, or null for none. */
export function meanScore(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  let total = 0;
  for (const score of scores) total += score;
  return total / scores.length;
}

/** The bonus earned with these match scores under `rule` (0 with no rule or no scored match), in whole cents. */
export function bonusAmount(rule: BonusRule | null, scores: readonly number[]): number {
  const mean = meanScore(scores);
  if (rule === null || mean === null) return 0;
  const raw = (mean - rule.floor) * rule.perPoint;
  return roundToCents(Math.min(rule.cap, Math.max(0, raw)));
}

/** An amount with its currency sign and two decimals: £1.50, $0.05, €12.00. */
export function formatMoney(amount: number, currency: Currency): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(amount);
}

/** Two decimals with a true minus sign. */
function points(value: number): string {
  return value
    .toFixed(2)
    .replace(/\.?0+$/, "")
    .replace("-", "−");
}

/** What participants read in the instructions about their pay, or null when the study states none. */
export function payNote(pay: PayConfig): string | null {
  const { basePay, currency, bonus } = pay;
  if (basePay === 0 && bonus === null) return null;
  const base = `You earn ${formatMoney(basePay, currency)} for completing the study`;
  if (bonus === null) return `${base}.`;
  return (
    `${base}, plus a bonus of ${formatMoney(bonus.perPoint, currency)} for every point your average match score ` +
    `is above ${points(bonus.floor)}, up to ${formatMoney(bonus.cap, currency)}. A match scores 1 point when you ` +
    "give the correct answer 100% and 0 for 50–50; each match page explains its scoring."
  );
}

/** What a participant reads after a match: their bonus so far, from every scored match until now. */
export function runningBonusNote(pay: PayConfig, scores: readonly number[]): string | null {
  const mean = meanScore(scores);
  if (pay.bonus === null || mean === null) return null;
  const matches = `${scores.length} match${scores.length === 1 ? "" : "es"}`;
  return (
    `Your bonus so far: ${formatMoney(bonusAmount(pay.bonus, scores), pay.currency)} ` +
    `(average score ${points(mean)} over ${matches}; up to ${formatMoney(pay.bonus.cap, pay.currency)}).`
  );
}

/**
 * Prolific's bulk-bonus format: one `<participant id>,<amount>` line per participant with a bonus above 0 and an
 * external id, the amount with two decimals (Prolific pays it in the study's currency). Empty when nobody earned one.
 */
export function bonusFile(rows: ReadonlyArray<{ externalId: string | null; bonus: number }>): string {
  return rows
    .filter((row) => row.bonus > 0 && row.externalId)
    .map((row) => `${row.externalId},${row.bonus.toFixed(2)}\n`)
    .join("");
}
