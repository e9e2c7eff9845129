/**
 * Survey question ids made from the question's text, so the researcher need not invent one: lower-case words
 * joined by "_", starting with a letter, at most 40 characters (what the study schema accepts), and different
 * from the ids already taken ("confidence", "confidence_2"). Plain module: the design form uses it as one types.
 */

const MAX = 40;
const STOP = new Set(["a", "an", "the", "how", "did", "do", "you", "your", "was", "were", "is", "are", "of", "to"]);

/** An id for a survey question worded `prompt`, not among `taken`. */
export function surveyIdFrom(prompt: string, taken: Iterable<string> = []): string {
  const words = prompt
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  const meaningful = words.filter((word) => !STOP.has(word));
  let base = "";
  for (const word of meaningful.length ? meaningful : words) {
    const next = base ? `${base}_${word}` : word;
    if (next.length > MAX - 3) break;
    base = next;
  }
  if (!base) base = "question";
  if (!/^[a-z]/.test(base)) base = `q_${base}`.slice(0, MAX - 3);
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
}
