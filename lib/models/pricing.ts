import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { zodErrorMessage } from "../errors";

/**
 * Model prices, as data: `data/model-prices.json` by default, or a whole replacement file (the caller passes the
 * path from CRUX_MODEL_PRICES). Prices are USD per million tokens, input and output separately. They are
 * configuration, not truth: list prices at the date the file names.
 *
 * Keys are model specs (`provider:model`). A spec is priced by, in order:
 * 1. the key equal to it;
 * 2. otherwise the longest key that it extends by a snapshot suffix — a date (YYYY-MM-DD, YYYYMMDD, MMDD) or "latest" after "-" or "@"
 *    ("openai:gpt-4o-2024-08-06" → "openai:gpt-4o", "anthropic:claude-3-5-sonnet-latest" → …-sonnet) — or the
 *    longest `prefix*` key it starts with ("openai-compatible:openrouter/*"); on equal length the snapshot wins.
 * Arbitrary prefixes do not match: "gpt-4o-audio-preview", "gpt-4.1-nano" or "claude-opus-4-7" are different
 * models at different prices, and a wrong cost is worse than an unknown one.
 *
 * Built in (a file may override them): "offline:*" and "openai-compatible:*" cost 0 — the offline heuristics are
 * free and OpenAI-compatible servers are assumed local. Everything else unlisted has an unknown cost (null),
 * which is never reported as zero.
 */

/** Price of one model in USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** A validated price table. `origin` names the file it came from, for messages. */
export interface PriceTable {
  source: string;
  checked?: string;
  origin: string;
  models: Readonly<Record<string, ModelPrice>>;
}

/** Token counts of a call; a count the provider did not report is undefined. */
export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
}

/**
 * The price file used when no other is given. Under tsx this file is lib/models/pricing.ts; inside Next's bundle
 * `import.meta.dirname` is undefined (or points into the bundle), and the server runs from the project root.
 */
export const DEFAULT_PRICES_FILE: string = (() => {
  const fromCwd = path.join(process.cwd(), "data", "model-prices.json");
  if (!import.meta.dirname) return fromCwd;
  const fromHere = path.resolve(import.meta.dirname, "..", "..", "data", "model-prices.json");
  return fs.existsSync(fromHere) ? fromHere : fromCwd;
})();

/** Prices every table has unless it overrides them (see the module comment). */
export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  "offline:*": { input: 0, output: 0 },
  "openai-compatible:*": { input: 0, output: 0 },
};

const SPEC_KEY = /^[a-z][a-z0-9-]*:[^\s*]*\*?$/;
const SNAPSHOT_SUFFIX = /^[-@](?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|latest)$/;

const price = z.number({ error: "expected a number" }).finite().min(0, { error: "must not be negative" });

const priceFileSchema = z.strictObject({
  source: z.string({ error: 'expected a "source" note saying where the prices come from' }).min(1),
  checked: z.string().min(1).optional(),
  note: z.string().optional(),
  currency: z.literal("USD", { error: 'only "USD" is supported' }).optional(),
  unit: z.literal("per million tokens", { error: 'expected "per million tokens"' }).optional(),
  models: z.record(
    z.string().regex(SPEC_KEY, {
      error: 'keys are model specs such as "openai:gpt-4o", optionally ending in * ("openai-compatible:my-server/*")',
    }),
    z.strictObject({ input: price, output: price, note: z.string().optional() }),
  ),
});

/** Thrown for a price file that cannot be read or does not validate; the message names the file and the field. */
export class PriceTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PriceTableError";
  }
}

function issuePath(pathParts: readonly PropertyKey[]): string {
  return (
    pathParts.map((p) => (typeof p === "number" ? `[${p}]` : `.${JSON.stringify(String(p))}`)).join("") || "(top level)"
  );
}

/** Validates parsed price data (the JSON file's content). `origin` names its source in error messages. */
export function parsePriceTable(data: unknown, origin = "price table"): PriceTable {
  const parsed = priceFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new PriceTableError(
      `invalid model price file ${origin}: ${zodErrorMessage(parsed.error, { limit: 3, path: issuePath })}`,
    );
  }
  const models: Record<string, ModelPrice> = { ...BUILT_IN_PRICES };
  for (const [key, { input, output }] of Object.entries(parsed.data.models)) models[key] = { input, output };
  return { source: parsed.data.source, checked: parsed.data.checked, origin, models };
}

/** Reads and validates a price file (default {@link DEFAULT_PRICES_FILE}). Throws PriceTableError. */
export function loadPriceTable(file: string = DEFAULT_PRICES_FILE): PriceTable {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new PriceTableError(`cannot read model price file ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PriceTableError(`model price file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parsePriceTable(data, file);
}

/** The price of a spec and the key that matched it, or null when the table does not know it. */
export function findPrice(spec: string, table: PriceTable): (ModelPrice & { key: string }) | null {
  const exact = Object.hasOwn(table.models, spec) ? table.models[spec] : undefined;
  if (exact) return { ...exact, key: spec };
  let best: { key: string; length: number; wildcard: boolean } | null = null;
  for (const key of Object.keys(table.models)) {
    const wildcard = key.endsWith("*");
    const base = wildcard ? key.slice(0, -1) : key;
    if (!spec.startsWith(base)) continue;
    if (!wildcard && !SNAPSHOT_SUFFIX.test(spec.slice(base.length))) continue;
    const better = !best || base.length > best.length || (base.length === best.length && best.wildcard && !wildcard);
    if (better) best = { key, length: base.length, wildcard };
  }
  const match = best ? table.models[best.key] : undefined;
  return best && match ? { ...match, key: best.key } : null;
}

/**
 * Cost in USD of a call with `usage` tokens, or null when it is unknown: the model has no price, or a token count
 * that has a non-zero price was not reported (or is not a count). Free models cost 0 whatever the usage.
 */
export function costOf(spec: string, usage: TokenUsage, prices: PriceTable): number | null {
  const found = findPrice(spec, prices);
  if (!found) return null;
  let total = 0;
  for (const [tokens, perMillion] of [
    [usage.inputTokens, found.input],
    [usage.outputTokens, found.output],
  ] as const) {
    if (perMillion === 0) continue;
    if (tokens === undefined || !Number.isFinite(tokens) || tokens < 0) return null;
    total += (tokens * perMillion) / 1_000_000;
  }
  return total;
}
