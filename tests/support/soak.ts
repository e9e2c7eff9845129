import fs from "node:fs";
import type { MatchView } from "../../lib/debate/view";
import type { Protocol } from "../../lib/debate/vocabulary";
import { hashSeed, mulberry32, pick, type Rng } from "../../lib/random";
import type { Ack } from "../../lib/realtime/protocol";
import type { RecordingSocket } from "./client";

/**
 * The soak test's judges (tests/integration/soak.test.ts): each match's script drawn from the seed, what the test
 * knows of a match while it runs (printed when it fails), and one judge's connection with the waits it needs.
 */

export type Point = { on: "delta" | "judge"; round: number };
export type Interruption = { kind: "disconnect" | "reload" | "lost-ack" | "leave"; at: Point };
export type Fate = "complete" | "leave" | "never-join";

export interface Plan {
  /** The soak's seed (named in the verdicts' explanations). */
  seed: number;
  index: number;
  protocol: Protocol;
  /** The judge ends after this round (or the last). */
  endAt: number;
  /** The judge's probability for option 0 after each round, in twentieths (never an even split). */
  probabilities: number[];
  fate: Fate;
  interruptions: Interruption[];
  /** Whether the judge moves the slider (a draft) before each step. */
  drafts: boolean;
}

export const PROTOCOL_CHOICES: [Protocol, ...Protocol[]] = [
  "debate",
  "debate",
  "debate",
  "interactive",
  "consultancy",
  "naive",
  "expert",
];

/**
 * The script of match `index` under `seed`: its protocol, when its judge ends and with what probabilities, and its
 * faults: 2% of judges never join, 8% leave for good mid-match, 40% of the others drop, reload or lose an
 * acknowledgement once or twice, at a point of the match (a chunk of round r's turns, or round r's judge step).
 */
export function planMatch(seed: number, index: number): Plan {
  const rng: Rng = mulberry32(hashSeed(seed, index));
  const protocol = pick(rng, PROTOCOL_CHOICES);
  const hasTurns = protocol !== "naive" && protocol !== "expert";
  const rounds = hasTurns ? 3 : 1;
  const endAt = rng() < 0.6 ? rounds : 1 + Math.floor(rng() * rounds);
  const probabilities = Array.from({ length: rounds }, () => {
    const k = 1 + Math.floor(rng() * 18);
    return (k >= 10 ? k + 1 : k) / 20;
  });
  const roll = rng();
  const rolled: Fate = roll < 0.02 ? "never-join" : roll < 0.1 ? "leave" : "complete";
  const point = (judgeOnly = false): Point => ({
    on: hasTurns && !judgeOnly && rng() < 0.5 ? "delta" : "judge",
    round: 1 + Math.floor(rng() * endAt),
  });
  const interruptions: Interruption[] = [];
  const drops = rng() < 0.4 ? 1 + Math.floor(rng() * 2) : 0;
  for (let k = 0; k < drops; k++) {
    const kind = pick(rng, ["disconnect", "reload", "lost-ack"] as const);
    interruptions.push({ kind, at: point(kind === "lost-ack") });
  }
  // A lost acknowledgement of the last judge step still delivers that step, so the match ends there: a judge meant
  // to leave at that point (or none later: there is none) finishes instead.
  const lastStepLost = interruptions.some((i) => i.kind === "lost-ack" && i.at.on === "judge" && i.at.round === endAt);
  const fate: Fate = rolled === "leave" && lastStepLost ? "complete" : rolled;
  if (fate === "leave") interruptions.push({ kind: "leave", at: point() });
  // In match order; leaving comes last among interruptions at the same point (sort is stable).
  const order = (p: Point) => p.round * 2 + (p.on === "judge" ? 1 : 0);
  interruptions.sort((a, b) => order(a.at) - order(b.at) || Number(a.kind === "leave") - Number(b.kind === "leave"));
  return { seed, index, protocol, endAt, probabilities, fate, interruptions, drafts: rng() < 0.3 };
}

/** What the test knows of one match while it runs: what a failure prints. */
export interface Trace {
  plan: Plan;
  matchId: string | null;
  cookie: string;
  /** What the driver is doing or waiting for. */
  step: string;
  /** The last phase seen. */
  phase: string;
  /** What happened, in order (interruptions, refused intents, transient errors). */
  events: string[];
  outcome: "complete" | "left" | null;
  startedAt: number;
}

export const label = (trace: Trace) => `match #${trace.plan.index + 1} (${trace.matchId ?? "not created"})`;

export function describeTrace(trace: Trace): string {
  const plan = trace.plan;
  const script = plan.interruptions.map((i) => `${i.kind}@${i.at.on}${i.at.round}`).join(",") || "none";
  return (
    `${label(trace)} ${plan.protocol} fate=${plan.fate} endAt=${plan.endAt} interruptions=${script}: ` +
    `${trace.step}; last phase ${trace.phase}; events: ${trace.events.slice(-10).join(" | ") || "none"}`
  );
}

/** Resolves with `promise`, or rejects after `ms` naming the match and what it waited for. */
export function within<T>(promise: Promise<T>, ms: number, what: string, trace?: Trace): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${trace ? `${label(trace)}: ` : ""}timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** How far a view is along (settled, then judge steps, then turns): a late broadcast never replaces a newer view. */
export function progress(view: MatchView): number {
  const settled = view.phase.kind === "complete" || view.phase.kind === "errored" ? 1 : 0;
  return settled * 1_000_000 + view.judgeSteps.length * 1000 + view.turns.length;
}

export function describePhase(view: MatchView): string {
  const phase = view.phase;
  return "round" in phase ? `${phase.kind} r${phase.round}` : phase.kind;
}

/** One judge's connection to one match: the latest view, and a way to wait for the next thing that happens. */
export class Session {
  latest: MatchView | null = null;
  deltaRound = 0;
  closed = false;
  private version = 0;
  private readonly waiters = new Set<() => void>();

  constructor(readonly client: RecordingSocket) {
    client.socket.on("match:view", (view) => {
      this.offer(view);
      this.bump();
    });
    client.socket.on("turn:delta", (delta) => {
      this.deltaRound = Math.max(this.deltaRound, delta.round);
      this.bump();
    });
    client.socket.on("disconnect", () => {
      this.closed = true;
      this.bump();
    });
  }

  offer(view: MatchView): void {
    if (!this.latest || progress(view) >= progress(this.latest)) this.latest = view;
  }

  /** Resolves at the next view, chunk or disconnection after `since` (a `mark()`). */
  changed(since: number): Promise<void> {
    if (this.version !== since) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  mark(): number {
    return this.version;
  }

  close(): void {
    this.client.socket.disconnect();
    this.closed = true;
  }

  private bump(): void {
    this.version += 1;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }
}

/** Emits with an acknowledgement, rejecting when none comes within `timeoutMs` or the connection drops. */
export function ask<T>(
  session: Session,
  event: "match:join" | "judge:step" | "judge:draft",
  payload: object,
  timeoutMs: number,
): Promise<Ack<T>> {
  const socket = session.client.socket.timeout(timeoutMs) as unknown as {
    emitWithAck(event: string, payload: object): Promise<Ack<T>>;
  };
  return socket.emitWithAck(event, payload);
}

/** A transient failure: the server is restarting, a connection dropped, an acknowledgement was lost. */
export class Transient extends Error {}

/** Whether the point of an interruption has come (or passed) in this view and stream. */
export function reached(at: Point, view: MatchView, session: Session): boolean {
  const passed = view.judgeSteps.length >= at.round || view.phase.kind === "complete";
  if (at.on === "judge") return passed || (view.phase.kind === "judge" && view.phase.round >= at.round);
  return passed || session.deltaRound >= at.round || view.turns.some((t) => t.round >= at.round);
}

export function intentFor(plan: Plan, matchId: string, view: MatchView, round: number, final: boolean) {
  const p = plan.probabilities[round - 1] ?? 0.7;
  const end = final || round >= plan.endAt;
  return {
    matchId,
    round,
    probabilities: [p, Math.round((1 - p) * 20) / 20],
    action: end ? ("end" as const) : ("continue" as const),
    ...(end ? { explanation: `Soak match ${plan.index + 1}, seed ${plan.seed}.` } : {}),
    ...(!end && view.judgeMayAsk ? { question: "Which line of the story supports you best?" } : {}),
  };
}

/** CPU seconds a process has used so far, from /proc (Linux; null elsewhere): for the timings report. */
export function cpuSeconds(pid: number | undefined): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export function count(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, n]) => `${value} ${n}`).join(", ");
}
