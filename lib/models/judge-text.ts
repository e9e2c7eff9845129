/**
 * The tolerant reader for judge answers that are not a JSON object: "Probabilities: A 0.7, B 0.3 — Answer: A",
 * "Option 1: 70%, Option 2: 30%", "P(A) = 0.3, P(B) = 0.7", "{'probabilities': [0.3, 0.7]}" and the like. It only
 * finds the parts; judge-output.ts validates them with the same schema as a JSON answer (so sums, percent and
 * normalisation follow one rule). Used when a provider has no structured output, or a model ignores it.
 */

/** What the reader found: the fields of a judge answer, for the answer schema to validate. */
export interface PlainTextVerdict {
  probabilities: number[];
  action: "continue" | "end";
  reasoning: string;
  question?: string;
}

const NUMBER = String.raw`(\d{1,3}(?:\.\d+)?|\.\d+)\s*(%|percent\b)?`;
// A number that is a count of something ("2 rounds") is not a probability.
const NOT_A_COUNT = String.raw`(?![\d.]|\s*(?:words|rounds?|quotes?|times|debaters?|verified|sentences?|points?)\b)`;
const ARROW = String.raw`\s*(?:[:=|]|->|→|-|\bis\b|\bat\b|\bgets\b)?\s*(?:about\s+|approximately\s+|~\s*|≈\s*)?`;

/** Markdown emphasis, headings and fences removed, dashes and spaces made plain, so patterns stay simple. */
function plain(text: string): string {
  return text
    .replace(/[*_`#]+/g, "")
    .replace(/[\u2012-\u2015\u2212]/g, " - ")
    .replace(/\u00a0/g, " ");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function probabilityAt(match: RegExpExecArray, at: number): number | undefined {
  const raw = match[at];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  return match[at + 1] ? value / 100 : value;
}

/** The first number written right after (or, failing that, right before) each label; undefined where none is. */
function labelled(text: string, labels: readonly string[], flags: string): (number | undefined)[] {
  const after = labels.map((label) => {
    const match = new RegExp(`${label}${ARROW}${NUMBER}${NOT_A_COUNT}`, flags).exec(text);
    return match ? probabilityAt(match, 1) : undefined;
  });
  if (after.every((v) => v !== undefined)) return after;
  // "70% A, 30% B", "0.7 for A": only when the label-first form did not find them all, since "A: 0.7 B: 0.3"
  // read backwards would pair 0.7 with B.
  const before = labels.map((label) => {
    const match = new RegExp(`${NUMBER}\\s*(?:for|on|to|that)?\\s*${label}`, flags).exec(text);
    return match ? probabilityAt(match, 1) : undefined;
  });
  const found = (values: (number | undefined)[]) => values.filter((v) => v !== undefined).length;
  return found(before) > found(after) ? before : after;
}

/** Label patterns for option i: its letter, its number, its text. Each set is tried separately. */
function labelSets(optionCount: number, optionTexts: readonly string[]): { labels: string[]; flags: string }[] {
  const index = Array.from({ length: optionCount }, (_, i) => i);
  // Letters stay upper case, so the article "a" is never an option.
  const letters = index.map((i) => {
    const letter = String.fromCharCode(65 + i);
    return `(?<![A-Za-z0-9])(?:[Oo]ption\\s+|[Aa]nswer\\s+|[Cc]hoice\\s+)?\\(?${letter}\\)?(?![A-Za-z0-9'’])`;
  });
  const numbers = index.map((i) => `\\b(?:option|answer|choice)\\s*#?\\s*${i + 1}\\b\\)?`);
  const sets = [
    { labels: letters, flags: "" },
    { labels: numbers, flags: "i" },
  ];
  const texts = optionTexts.map((t) => t.trim().replace(/\s+/g, " "));
  if (texts.length === optionCount && texts.every((t) => t.length > 0)) {
    const words = texts.map((t) => `["“']?${escapeRegExp(t).replace(/ /g, "\\s+")}["”']?`);
    sets.push({ labels: words, flags: "i" });
  }
  return sets;
}

/** "probabilities: [0.3, 0.7]", "Probabilities: 0.3, 0.7", "'probabilities': [30, 70]" (no labels: in order). */
function unlabelled(text: string, optionCount: number): number[] | undefined {
  const match = /probabilit(?:y|ies)\b["']?\s*(?:[:=]|are|of)?\s*\[?\s*([-\d.%\s,;/]+)/i.exec(text);
  if (!match?.[1]) return undefined;
  const values = [...match[1].matchAll(/(\d+(?:\.\d+)?|\.\d+)\s*(%)?/g)].map((m) =>
    m[2] ? Number(m[1]) / 100 : Number(m[1]),
  );
  return values.length === optionCount ? values : undefined;
}

/** The option the text names as its answer ("Answer: A", "Final answer: Option 2"), as an index, if any. */
function namedAnswer(text: string, optionCount: number): number | undefined {
  // Case-sensitive on purpose: in "the answer is a guess" the article is no option.
  const match =
    /\b(?:[Ff]inal [Aa]nswer|[Aa]nswer|ANSWER|[Vv]erdict|[Mm]y choice|I choose|I pick)\s*(?:is\s*)?[:=-]?\s*(?:[Oo]ption\s*)?\(?([A-Z]|\d)\)?(?![A-Za-z0-9])(?!\s*(?:[:=-]|->|→)?\s*\.?\d)/.exec(
      text,
    );
  const label = match?.[1];
  if (label === undefined) return undefined;
  const index = /\d/.test(label) ? Number(label) - 1 : label.charCodeAt(0) - 65;
  return index >= 0 && index < optionCount ? index : undefined;
}

function actionOf(text: string): "continue" | "end" {
  const stated = /\b(?:action|decision|next step)\b["']?\s*[:=]\s*["']?(continue|end)\b/i.exec(text)?.[1];
  if (stated) return stated.toLowerCase() === "end" ? "end" : "continue";
  // Without a stated action the judge hears more: the runner ends the match at the last round anyway.
  return /\b(?:end|stop) (?:the )?(?:debate|consultation)\b/i.test(text) ? "end" : "continue";
}

function questionOf(text: string): string | undefined {
  const match =
    /(?:follow-up question|question for (?:the )?(?:debaters?|consultant|next round)|["']question["'])\s*[:=]\s*["']?([^\n"']+)/i.exec(
      text,
    );
  return match?.[1]?.trim() || undefined;
}

function reasoningOf(text: string, original: string): string {
  const match = /\b(?:reasoning|explanation|rationale)\b["']?\s*[:=]\s*["']?([\s\S]*)/i.exec(text);
  const section = match?.[1]?.replace(/["']?\s*}?\s*$/, "").trim();
  return section || original.trim();
}

/** The reason given when the text has no probabilities at all (as opposed to unusable ones). */
export const NO_PROBABILITIES = "no probabilities found (one per option)";

function argmax(values: readonly number[]): number | undefined {
  let best: number | undefined;
  let tie = false;
  values.forEach((v, i) => {
    const current = best === undefined ? undefined : values[best];
    if (current === undefined || v > current) {
      best = i;
      tie = false;
    } else if (v === current) tie = true;
  });
  return tie ? undefined : best;
}

/**
 * Reads a judge's verdict from free text for `optionCount` options (`optionTexts` lets it match options by name).
 * Probabilities are taken per option by letter (A, B…), by number ("Option 1"), by the option's text, or as an
 * unlabelled list after "probabilities"; with two options, one stated probability implies the other. Values
 * with % are read as percent. An answer that names an option ("Answer: A") the probabilities do not favour is
 * refused as contradictory. The action is "end" only when stated; the reasoning is the "Reasoning:" section or
 * else the whole text. Returns the reason it failed, in words fit to feed back to the model.
 */
export function readPlainTextVerdict(
  text: string,
  optionCount: number,
  optionTexts: readonly string[] = [],
): { ok: true; value: PlainTextVerdict } | { ok: false; error: string } {
  const body = plain(text);
  let probabilities: number[] | undefined;
  for (const { labels, flags } of labelSets(optionCount, optionTexts)) {
    const values = labelled(body, labels, flags);
    const missing = values.filter((v) => v === undefined).length;
    if (missing === 0) probabilities = values as number[];
    else if (optionCount === 2 && missing === 1) {
      // Only a probability (≤ 1, or a percentage already divided) implies the other: "A is 2" is more likely a count.
      const known = values.find((v) => v !== undefined) as number;
      if (known <= 1) probabilities = values.map((v) => v ?? 1 - known);
    }
    if (probabilities) break;
  }
  probabilities ??= unlabelled(body, optionCount);
  if (!probabilities) return { ok: false, error: NO_PROBABILITIES };
  const answer = namedAnswer(body, optionCount);
  const favoured = argmax(probabilities);
  if (answer !== undefined && favoured !== undefined && answer !== favoured) {
    const name = (i: number) => String.fromCharCode(65 + i);
    return {
      ok: false,
      error: `the answer names option ${name(answer)} but the probabilities favour option ${name(favoured)}`,
    };
  }
  const action = actionOf(body);
  const question = action === "continue" ? questionOf(body) : undefined;
  return {
    ok: true,
    value: { probabilities, action, reasoning: reasoningOf(body, text), ...(question ? { question } : {}) },
  };
}
