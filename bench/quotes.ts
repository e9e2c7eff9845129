/**
 * Quote-verification benchmark: `npx tsx bench/quotes.ts`.
 *
 * Builds a ~30k-character and a ~300k-character passage from real articles (data/quality/articles.jsonl.gz,
 *  the shipped question bank), makes 1,000 quotes per passage (~70% real
 * spans of 5–30 words with case/whitespace/quote-style perturbations, ~30% fabricated), and times building the
 * verifier and checking all 1,000 quotes. Target: < 20 ms for the 30k passage, build included; roughly linear
 * growth with passage size.
 */
import { createQuoteVerifier } from "../lib/debate/quotes";
import { loadQuestionBank } from "../lib/questions/seed";
import { mulberry32 as rng } from "../lib/random";

const QUOTES = 1000;
const REPEATS = 25;
const TARGET_MS = 20;

function loadArticles(): { source: string; texts: string[] } {
  return { source: "data/quality/articles.jsonl.gz", texts: loadQuestionBank().articles.map((a) => a.text) };
}

/** Concatenates articles (repeating if needed) until the passage reaches `chars`. */
function passageOf(texts: string[], chars: number): string {
  let out = "";
  for (let i = 0; out.length < chars; i++) out += `${texts[i % texts.length]}\n\n`;
  return out.slice(0, chars);
}

function perturb(span: string, next: () => number): string {
  let s = span;
  const r = next();
  if (r < 0.25) s = s.toLowerCase();
  else if (r < 0.4) s = s.toUpperCase();
  s = s.replace(/\s+/g, () => (next() < 0.1 ? "  " : next() < 0.05 ? "\n" : " "));
  s = s.replace(/"/g, () => (next() < 0.5 ? "\u201c" : "\u201d")).replace(/'/g, "\u2019");
  s = s.replace(/ - /g, " \u2014 ").replace(/\.\.\./g, "\u2026");
  return s;
}

function makeQuotes(passage: string, seed: number): { text: string; real: boolean }[] {
  const next = rng(seed);
  const words = [...passage.matchAll(/\S+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const vocab = words.map((w) => passage.slice(w.start, w.end));
  const quotes: { text: string; real: boolean }[] = [];
  for (let i = 0; i < QUOTES; i++) {
    const length = 5 + Math.floor(next() * 26);
    if (next() < 0.7) {
      const first = Math.floor(next() * (words.length - length));
      const from = words[first]?.start ?? 0;
      const to = words[first + length - 1]?.end ?? passage.length;
      quotes.push({ text: perturb(passage.slice(from, to), next), real: true });
    } else {
      const made: string[] = [];
      for (let j = 0; j < length; j++) made.push(vocab[Math.floor(next() * vocab.length)] as string);
      quotes.push({ text: made.join(" "), real: false });
    }
  }
  return quotes;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

interface Row {
  label: string;
  chars: number;
  buildMs: number;
  verifyMs: number;
  totalMs: number;
  /** Process CPU time for build + verify: less sensitive than wall time to other load on the machine. */
  cpuMs: number;
  realFound: string;
  fakeFound: string;
}

type VerifierFactory = (passage: string) => (quote: string) => { verified: boolean };

/**
 * The baseline: the same letters-and-digits normalisation, then a plain `indexOf` scan of the whole normalised
 * passage for every quote. Timed in the same process so the figures compare as ratios, whatever the machine.
 */
function naiveVerifier(passage: string): (quote: string) => { verified: boolean } {
  const normalise = (text: string) =>
    text
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "");
  const haystack = normalise(passage);
  return (quote) => {
    const needle = normalise(quote);
    return { verified: needle.length > 0 && haystack.includes(needle) };
  };
}

function bench(label: string, passage: string, factory: VerifierFactory = createQuoteVerifier): Row {
  const quotes = makeQuotes(passage, passage.length);
  const builds: number[] = [];
  const verifies: number[] = [];
  const totals: number[] = [];
  const cpus: number[] = [];
  let realOk = 0;
  let fakeOk = 0;
  // The first run warms up the JIT and is not counted.
  for (let rep = 0; rep <= REPEATS; rep++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const verify = factory(passage);
    const t1 = performance.now();
    realOk = 0;
    fakeOk = 0;
    for (const q of quotes) {
      if (verify(q.text).verified) {
        if (q.real) realOk++;
        else fakeOk++;
      }
    }
    const t2 = performance.now();
    const cpu = process.cpuUsage(c0);
    if (rep === 0) continue;
    cpus.push((cpu.user + cpu.system) / 1000);
    builds.push(t1 - t0);
    verifies.push(t2 - t1);
    totals.push(t2 - t0);
  }
  const real = quotes.filter((q) => q.real).length;
  return {
    label,
    chars: passage.length,
    buildMs: median(builds),
    verifyMs: median(verifies),
    totalMs: median(totals),
    cpuMs: median(cpus),
    realFound: `${realOk}/${real}`,
    fakeFound: `${fakeOk}/${quotes.length - real}`,
  };
}

const { source, texts } = loadArticles();
const small = bench("30k", passageOf(texts, 30_000));
const large = bench("300k", passageOf(texts, 300_000));
const naiveSmall = bench("30k naive", passageOf(texts, 30_000), naiveVerifier);
const naiveLarge = bench("300k naive", passageOf(texts, 300_000), naiveVerifier);

console.log(`Quote verification, ${QUOTES} quotes, median of ${REPEATS} runs; passages from ${source}\n`);
const header = [
  "passage",
  "chars",
  "build ms",
  "verify ms",
  "total ms",
  "total cpu ms",
  "real verified",
  "fake verified",
];
const rows = [small, large, naiveSmall, naiveLarge].map((r) => [
  r.label,
  String(r.chars),
  r.buildMs.toFixed(2),
  r.verifyMs.toFixed(2),
  r.totalMs.toFixed(2),
  r.cpuMs.toFixed(2),
  r.realFound,
  r.fakeFound,
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] as number)).join("  ");
console.log(line(header));
for (const row of rows) console.log(line(row));

const sizeRatio = large.chars / small.chars;
const buildRatio = large.buildMs / small.buildMs;
const verifyRatio = large.verifyMs / small.verifyMs;
const totalRatio = large.totalMs / small.totalMs;
console.log(
  `\n300k/30k ratios for ${sizeRatio.toFixed(0)}x the text: build ${buildRatio.toFixed(1)}x, ` +
    `verify ${verifyRatio.toFixed(1)}x, total ${totalRatio.toFixed(1)}x`,
);
console.log(
  `30k target (< ${TARGET_MS} ms for ${QUOTES} quotes incl. build): ` +
    `${small.totalMs < TARGET_MS ? "met" : "MISSED"} (${small.totalMs.toFixed(2)} ms)`,
);
console.log(
  `speed-up over the naive scan (same process): 30k ${(naiveSmall.totalMs / small.totalMs).toFixed(1)}x, ` +
    `300k ${(naiveLarge.totalMs / large.totalMs).toFixed(1)}x`,
);
// Building is one pass over the text (linear); each lookup depends on the quote and its few candidates, not on
// the passage length, so the total should grow no faster than the text.
console.log(`growth: ${totalRatio <= sizeRatio * 1.5 ? "linear or better" : "SUPERLINEAR"}`);
