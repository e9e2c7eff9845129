import fs from "node:fs";

/**
 * What the live-load benchmark's processes share (bench/live-load.ts): the token format, the clock, statistics and
 * /proc readers.
 *
 * Every token the loopback model streams is one word, `w<index>t<microseconds>`, followed by a space: its index in
 * the turn (to count lost and reordered tokens) and the time it was written to the socket on the monotonic clock,
 * which every process on the machine shares (`process.hrtime`, CLOCK_MONOTONIC on Linux). Whatever joins or splits
 * the text on the way (the server coalesces chunks in bursts), each token still says when it was sent.
 */

/** The paths under load: the bare relay, the relay through the AI SDK (both bench/live-load/relay.ts), and Crux. */
export const MODES = ["relay", "sdk", "crux"] as const;
export type Mode = (typeof MODES)[number];

/** Microseconds on the machine's monotonic clock. */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export function token(index: number): string {
  return `w${index}t${nowUs()} `;
}

const TOKEN = /w(\d+)t(\d+)/g;

/** The tokens in a piece of received text (pieces always end at a word boundary: the server forwards settled words). */
export function parseTokens(text: string): Array<{ index: number; sentUs: number }> {
  const out: Array<{ index: number; sentUs: number }> = [];
  for (const match of text.matchAll(TOKEN)) out.push({ index: Number(match[1]), sentUs: Number(match[2]) });
  return out;
}

/** What one judges process measured in its window. */
export interface PhaseResult {
  /** Per-token latency in ms (send → judge's receipt), sorted. Summarised before being sent back. */
  latency: Summary;
  /** Tokens expected in the turns completed in the window but never received. */
  lost: number;
  /** Tokens received after a later token of the same turn (or twice). */
  reordered: number;
  /** Chunks whose `seq` skipped (the Crux protocol's own numbering). */
  chunkGaps: number;
  turns: number;
  /** Matches (Crux) or turn pairs (relay) started in the whole phase. */
  started: number;
  errors: string[];
}

export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles. */
export function summarize(values: number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1) ?? NaN };
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux (`getconf CLK_TCK`)

/** User + system CPU ms of a process (Linux /proc); null when unreadable. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Resident memory of a process in bytes (Linux /proc); null when unreadable. */
export function processRssBytes(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}
