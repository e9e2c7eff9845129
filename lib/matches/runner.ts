import { z } from "zod";
import type { Db } from "../db/client";
import { retryTransient } from "../db/errors";
import { createLimitedStream, enforceWordLimit } from "../debate/limits";
import { judgedProtocol, judgeMayAsk, judgeSeesPassage } from "../debate/protocols";
import { createQuoteVerifier, verifyTurnQuotes } from "../debate/quotes";
import { judgeQuestionsOf, nextStep, orderTurns, visibleTranscript } from "../debate/rounds";
import { chosenOption } from "../debate/scoring";
import type { TurnRecord } from "../debate/types";
import type { LiveTurn, MatchSnapshot } from "../debate/view";
import { isSettledMatchStatus, type Seat } from "../debate/vocabulary";
import { CruxError, zodErrorMessage } from "../errors";
import { renderedTurnBody } from "../models/prompts";
import type { ModelResolver } from "../models/resolver";
import type { ModelCallRecord } from "../models/types";
import { mulberry32 } from "../random";
import {
  decideDraft,
  decideJudgeStep,
  decideTimeout,
  isRepeatOfStoredStep,
  type JudgeDraft,
  type JudgeStepInput,
} from "./judge-step";
import { MatchHeldElsewhere, type MatchLeases } from "./leases";
import { createMatchStore, type MatchStore } from "./match-store";
import type { StoredMatch } from "./repository";
import { storedSnapshot } from "./snapshot";

/**
 * The match runner drives matches through their protocol: asks the debaters for turns (streaming), verifies
 * quotes, persists each turn, waits for the judge (or asks an AI judge), and records the verdict. It knows
 * nothing about sockets: it reports through a `MatchListener`. Everything it needs to continue lives in the
 * database, so after a restart `resumeInFlight` picks matches up where they were (an interrupted turn is redone).
 *
 * With several app instances (`leases`), the runner drives only the matches whose lease it holds: every entry point
 * takes the match's lease first (or throws `MatchHeldElsewhere` naming the holder, for the caller to forward to),
 * the lease is renewed on a beat while the match is in memory and released when it settles or the runner stops,
 * and on the same beat the runner takes over running matches whose holder died (expired lease), resuming them
 * exactly as after a restart. A lease lost to another instance (this one stalled past the TTL) drops the match
 * from memory without writing: turns and judge steps are stored once per round and seat, so nothing is doubled.
 */

export interface MatchListener {
  /** The match's state changed (turn finished, judge step, verdict, status). */
  onChange(snapshot: MatchSnapshot): void;
  /** A chunk of a turn being streamed. */
  onDelta(delta: { matchId: string; round: number; speaker: Seat; seq: number; text: string }): void;
}

/**
 * The runner persists through the matches repository on `db`, or through `store` (an in-memory store in its unit
 * tests). Time is `Date.now()` and `setTimeout`, so fake timers drive it in tests.
 */
export type MatchRunnerOptions = ({ db: Db } | { store: MatchStore }) & {
  models: ModelResolver;
  listener?: MatchListener;
  /** Errors (a match that errored, a write that failed). */
  log?: (line: string) => void;
  /** What the runner did on its own that is worth knowing (an idle match abandoned, a write retried). */
  info?: (line: string) => void;
  /** The idle-match reaper; none when omitted (the CLI, most tests). */
  idle?: IdleReaperOptions;
  /** Several instances: drive only leased matches, and take over orphaned ones (lib/matches/leases.ts). */
  leases?: MatchLeases;
  /** How often leases are renewed and orphaned matches looked for (default a third of the lease TTL). */
  leaseRenewMs?: number;
  /**
   * Take over running matches nobody holds (default true). The CLI says no: a human-judged match must move to an
   * instance its judge's intents can reach, and an automated run resumes its own matches.
   */
  takeOver?: boolean;
};

/**
 * A human-judged match nobody judges — a play match joined and left, a match created and never joined — would
 * stay `waiting` or `running` for ever, in memory with its quote index and resumed at every restart. The reaper
 * abandons, by rule, each one with no judge activity (start, a judge joining, a turn, a judge step) for `idleMs`.
 * Study matches are left to the study's own dropout rule (`dropoutMinutes`, which counts participants' presence):
 * `sweep` runs on the same beat so that rule also applies when nobody new arrives (lib/studies/assignment.ts).
 */
export interface IdleReaperOptions {
  idleMs: number;
  /** How often to look; default a quarter of `idleMs`, at most a minute. */
  everyMs?: number;
  /** Further sweeps run on each beat (the study dropout sweep in the server). Failures are logged. */
  sweep?: (now: Date) => Promise<unknown>;
}

interface ActiveMatch {
  stored: StoredMatch;
  live: Map<Seat, LiveTurn>;
  abort: AbortController;
  /** Serialises everything that changes this match (driving, judge intents). */
  queue: Promise<unknown>;
  /** The drive loop in progress, if any. */
  driving: Promise<void> | null;
  /** Fires when the judge's time for the current step runs out (only with a time limit). */
  timer: NodeJS.Timeout | null;
  /** The judge last joined (not stored: after a restart the stored activity counts, which is earlier). */
  judgeSeenAt: Date | null;
  /** Where the judge's slider is for the step awaiting them (`judge:draft`), submitted if their time runs out. */
  draft: JudgeDraft | null;
  /** With leases: this instance holds the match's lease. */
  leased: boolean;
  /** With leases: another instance took the match over; this copy only winds down, writing nothing. */
  lost: boolean;
}

export class MatchRunner {
  private readonly active = new Map<string, ActiveMatch>();
  private readonly verifiers = new Map<string, ReturnType<typeof createQuoteVerifier>>();
  private readonly store: MatchStore;
  private stopped = false;
  private reaper: NodeJS.Timeout | null = null;
  private leaseBeat: NodeJS.Timeout | null = null;
  /** The take-over round under way, if any (see scheduleLeaseBeat). */
  private takingOver: Promise<string[]> | null = null;
  private remoteAbandon: ((matchId: string, reason: string) => Promise<MatchSnapshot>) | null = null;
  /** When this runner started: no judge could act before, so the reaper counts no idleness before it. */
  private readonly startedAt = Date.now();

  constructor(private readonly options: MatchRunnerOptions) {
    this.store = "store" in options ? options.store : createMatchStore(options.db);
    if (options.idle) this.scheduleReaper(options.idle);
    if (options.leases) this.scheduleLeaseBeat(options.leases);
  }

  /** The current snapshot (stored state plus live streams). Throws NOT_FOUND for an unknown match. */
  async snapshot(matchId: string): Promise<MatchSnapshot> {
    await this.claim(matchId);
    const match = await this.load(matchId);
    const snapshot = this.toSnapshot(match);
    // Watching a finished match must not bring it back into memory for good.
    this.evictIfSettled(match);
    return snapshot;
  }

  /**
   * What the runner holds in memory: matches loaded (live or waiting for their judge) and quote indexes. Once every
   * match has settled both are 0 (the soak test checks it; the server reports it on SIGUSR2, docs/operations.md).
   */
  footprint(): { liveMatches: number; quoteIndexes: number } {
    return { liveMatches: this.active.size, quoteIndexes: this.verifiers.size };
  }

  /** Starts (or keeps) the match moving: called when the judge joins, and by headless runs. */
  async start(matchId: string): Promise<MatchSnapshot> {
    await this.claim(matchId);
    const match = await this.load(matchId);
    await this.enqueue(match, async () => {
      if (match.stored.status === "waiting") {
        await this.persist(() => this.store.setMatchStatus(matchId, "running"));
        match.stored.status = "running";
        match.stored.startedAt = new Date();
        match.stored.lastActivityAt = match.stored.startedAt;
      }
      match.judgeSeenAt = new Date();
    });
    this.drive(match);
    const snapshot = this.toSnapshot(match);
    this.evictIfSettled(match);
    return snapshot;
  }

  /**
   * Applies a human judge's intent after it was validated against the rules; returns the new snapshot. The same
   * intent sent twice (a double click, a resend after a lost ack) is recorded once: the repeat is answered with the
   * current snapshot, not an error.
   */
  async submitJudgeStep(matchId: string, judgeId: string, input: JudgeStepInput): Promise<MatchSnapshot> {
    await this.claim(matchId);
    const match = await this.load(matchId);
    if (match.stored.judgeId !== judgeId) throw new CruxError("FORBIDDEN", "You are not the judge of this match.");
    await this.enqueue(match, async () => {
      if (isRepeatOfStoredStep(match.stored, input)) return;
      await this.recordJudgeStep(match, input);
    });
    this.drive(match);
    const snapshot = this.toSnapshot(match);
    this.evictIfSettled(match);
    return snapshot;
  }

  /**
   * Keeps where a human judge's slider is for the step awaiting them: if their time runs out before they answer,
   * these probabilities are submitted (when the match's `submitDraftOnTimeout` is on). Validated like a step; kept
   * in memory only (a draft lost to a restart falls back to carrying the last step forward).
   */
  async recordDraft(matchId: string, judgeId: string, draft: JudgeDraft): Promise<void> {
    await this.claim(matchId);
    const match = await this.load(matchId);
    if (match.stored.judgeId !== judgeId) throw new CruxError("FORBIDDEN", "You are not the judge of this match.");
    try {
      await this.enqueue(match, async () => {
        match.draft = decideDraft(match.stored, draft);
      });
    } finally {
      // A draft for a match that has ended is refused; it must not keep that match in memory either.
      this.evictIfSettled(match);
    }
  }

  /** Runs a match with an AI judge to its end (headless). Resolves with the final snapshot. */
  async runToEnd(matchId: string): Promise<MatchSnapshot> {
    await this.start(matchId);
    const match = await this.load(matchId);
    while (match.driving) await match.driving;
    return this.toSnapshot(match);
  }

  /**
   * Ends a match that is not over — a researcher's action or a judge who dropped out: model calls are aborted, the
   * status becomes `abandoned` with the reason, and every turn and judge step so far is kept. A finished match is
   * left as it is.
   */
  async abandon(matchId: string, reason: string, options: { here?: boolean } = {}): Promise<MatchSnapshot> {
    try {
      await this.claim(matchId);
    } catch (error) {
      // Several instances: the instance driving the match ends it (`here` is how it is asked to).
      if (error instanceof MatchHeldElsewhere && this.remoteAbandon && !options.here)
        return this.remoteAbandon(matchId, reason);
      throw error;
    }
    return this.toSnapshot(await this.end(await this.load(matchId), reason, () => true));
  }

  /**
   * Several instances: how to end a match another instance drives (ask it, through the socket layer's relay), so
   * that a researcher's action or a dropout sweep on any instance ends any match.
   */
  relayAbandonTo(abandon: (matchId: string, reason: string) => Promise<MatchSnapshot>): void {
    this.remoteAbandon = abandon;
  }

  /**
   * The reaper's pass: abandons every human-judged match outside a study that has seen no judge activity since
   * `now - idleMs` (see {@link IdleReaperOptions}), then runs the extra sweep. Returns the ids it abandoned.
   */
  async reapIdle(now: Date = new Date()): Promise<string[]> {
    const idle = this.options.idle;
    if (!idle || this.stopped) return [];
    const cutoff = now.getTime() - idle.idleMs;
    const duration = idleDuration(idle.idleMs);
    const reason = `No judge activity for ${duration}.`;
    const reaped: string[] = [];
    // Downtime is not idleness: while the process was down no judge could act, so in the first `idleMs` after a
    // (re)start nothing is idle yet (judges of matches in flight get the whole idle time to come back).
    const candidates = cutoff < this.startedAt ? [] : await this.store.listIdleMatchIds(new Date(cutoff));
    // The store knows matches by their stored activity; one in memory may have seen its judge since.
    for (const id of candidates) {
      try {
        await this.claim(id);
        const match = await this.load(id);
        const ended = await this.end(match, reason, () => lastJudgeActivity(match) < cutoff);
        if (ended.stored.status !== "abandoned" || ended.stored.error !== reason) continue;
        reaped.push(id);
        this.options.info?.(`match ${id} abandoned: no judge activity for ${duration}`);
      } catch (error) {
        // Another instance drives it: its own reaper judges it.
        if (error instanceof MatchHeldElsewhere) continue;
        this.options.log?.(`could not abandon idle match ${id}: ${errorText(error)}`);
      }
    }
    await idle.sweep?.(now).catch((error: unknown) => this.options.log?.(`idle sweep failed: ${errorText(error)}`));
    return reaped;
  }

  /**
   * Resumes every match that was running when the process last stopped, each on its own: a match that cannot be
   * loaded (a row that no longer parses, say) is logged and marked errored with the reason, and the others resume.
   * Returns how many resumed.
   */
  async resumeInFlight(): Promise<number> {
    // With leases, only the matches nobody drives (those of this instance's previous life among them).
    const ids = await (this.options.leases?.listOrphaned() ?? this.store.listInFlightMatchIds());
    let resumed = 0;
    for (const id of ids) {
      try {
        if (this.active.get(id)?.leased) continue;
        await this.claim(id);
        this.drive(await this.load(id));
        resumed += 1;
      } catch (error) {
        if (error instanceof MatchHeldElsewhere) continue;
        const reason = `Could not be resumed after a restart: ${errorText(error)}`;
        this.options.log?.(`match ${id} errored: ${reason}`);
        await this.persist(() => this.store.setMatchStatus(id, "errored", reason)).catch((failure: unknown) =>
          this.options.log?.(`could not mark match ${id} errored: ${errorText(failure)}`),
        );
      }
    }
    return resumed;
  }

  /** Aborts all model calls and waits for drive loops to settle (used on shutdown and in tests). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reaper) clearTimeout(this.reaper);
    this.reaper = null;
    if (this.leaseBeat) clearTimeout(this.leaseBeat);
    this.leaseBeat = null;
    for (const match of this.active.values()) {
      match.abort.abort();
      this.clearTimer(match);
    }
    // A take-over under way ends at its next match (it checks `stopped`); what it took is handed over below too.
    await this.takingOver;
    await Promise.allSettled([...this.active.values()].map((m) => m.driving));
    // Handed over at once: another instance resumes these matches on its next beat instead of after the TTL.
    const held = [...this.active.values()].filter((m) => m.leased && !m.lost).map((m) => m.stored.id);
    const leases = this.options.leases;
    if (leases)
      await this.persist(() => leases.release(held)).catch((error: unknown) =>
        this.options.log?.(`could not release match leases: ${errorText(error)}`),
      );
  }

  /**
   * With leases: takes (or keeps) the match's lease before anything loads or changes it; throws MatchHeldElsewhere
   * while another instance holds it. A match newly taken is loaded from the database (any older copy in memory may
   * be stale) and, when running, driven: whoever touches an orphaned match first resumes it.
   */
  private async claim(matchId: string): Promise<void> {
    const leases = this.options.leases;
    if (!leases || this.active.get(matchId)?.leased) return;
    const claim = await this.persist(() => leases.acquire(matchId));
    const stale = this.active.get(matchId);
    if (stale && !stale.leased && !stale.driving) this.active.delete(matchId);
    if (!claim.ok) throw new MatchHeldElsewhere(matchId, claim.holder);
    const match = await this.load(matchId);
    match.leased = true;
    this.drive(match);
  }

  private async load(matchId: string): Promise<ActiveMatch> {
    const existing = this.active.get(matchId);
    if (existing) return existing;
    const stored = await this.store.getMatch(matchId);
    if (!stored) throw new CruxError("NOT_FOUND", "No such match.");
    // Another caller may have loaded it while we awaited: keep the first.
    const again = this.active.get(matchId);
    if (again) return again;
    const match: ActiveMatch = {
      stored,
      live: new Map(),
      abort: new AbortController(),
      queue: Promise.resolve(),
      driving: null,
      timer: null,
      judgeSeenAt: null,
      draft: null,
      leased: false,
      lost: false,
    };
    this.active.set(matchId, match);
    return match;
  }

  private enqueue<T>(match: ActiveMatch, task: () => Promise<T>): Promise<T> {
    const run = match.queue.then(task, task);
    match.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Ends a match that is not over, within its queue, when `due()` still holds there: model calls are aborted, the
   * status becomes `abandoned` with the reason, and every turn and judge step so far is kept.
   */
  private async end(match: ActiveMatch, reason: string, due: () => boolean): Promise<ActiveMatch> {
    await this.enqueue(match, async () => {
      const { stored } = match;
      if (isSettledMatchStatus(stored.status) || !due()) return;
      stored.status = "abandoned";
      stored.error = reason;
      match.abort.abort();
      this.clearTimer(match);
      match.live.clear();
      await this.persist(() => this.store.setMatchStatus(stored.id, "abandoned", reason));
      this.publish(match);
    });
    await match.driving;
    this.evictIfSettled(match);
    return match;
  }

  /**
   * A write to the store, tried again after an asynchronous pause while it fails with a transient error (another
   * connection holds the lock): a busy database delays a match, it does not end it. Each call is one whole write
   * or transaction, so a retry never repeats half of one.
   */
  private persist<T>(write: () => Promise<T>): Promise<T> {
    return retryTransient(write, {
      onRetry: (error, attempt, delayMs) =>
        this.options.info?.(`database busy (attempt ${attempt}), retrying in ${delayMs} ms: ${errorText(error)}`),
    });
  }

  /**
   * The lease beat: renews this instance's leases and drops the matches another instance has taken over; beside it,
   * at most one round at a time takes over running matches nobody holds (their instance died, or let go on
   * shutdown). The two are apart because taking over loads each match: a round that takes over many (a stopped
   * instance's) must not hold back this instance's own renewals, or its leases would lapse in turn and the matches
   * would pass back and forth between busy instances.
   */
  private scheduleLeaseBeat(leases: MatchLeases): void {
    const every = this.options.leaseRenewMs ?? Math.max(100, Math.floor(leases.ttlMs / 3));
    this.leaseBeat = setTimeout(() => {
      this.renewLeases(leases)
        .catch((error: unknown) => this.options.log?.(`match leases: ${errorText(error)}`))
        .finally(() => {
          if (this.stopped) return;
          this.takingOver ??= this.takeOverOrphans(leases)
            .catch((error: unknown) => {
              this.options.log?.(`match leases: ${errorText(error)}`);
              return [];
            })
            .finally(() => {
              this.takingOver = null;
            });
          this.scheduleLeaseBeat(leases);
        });
    }, every);
    this.leaseBeat.unref?.();
  }

  /** Renews this instance's leases; lets go of the matches another instance has taken meanwhile. */
  private async renewLeases(leases: MatchLeases): Promise<void> {
    const held = [...this.active.values()].filter((m) => m.leased && !m.lost);
    const lost = new Set(await this.persist(() => leases.renew(held.map((m) => m.stored.id))));
    for (const match of held) {
      if (!lost.has(match.stored.id)) continue;
      this.options.log?.(`match ${match.stored.id}: lease lost to another instance; letting go`);
      match.lost = true;
      match.abort.abort();
      this.clearTimer(match);
      if (this.active.get(match.stored.id) === match) this.active.delete(match.stored.id);
      this.verifiers.delete(match.stored.id);
    }
  }

  /** Takes over the running matches nobody holds; returns them. */
  private async takeOverOrphans(leases: MatchLeases): Promise<string[]> {
    const taken: string[] = [];
    if (this.stopped || this.options.takeOver === false) return taken;
    for (const id of await this.persist(() => leases.listOrphaned())) {
      if (this.stopped) break;
      if (this.active.get(id)?.leased) continue;
      try {
        await this.claim(id);
        taken.push(id);
        this.options.info?.(`match ${id}: taken over (its instance stopped renewing its lease)`);
      } catch (error) {
        if (!(error instanceof MatchHeldElsewhere))
          this.options.log?.(`could not take over match ${id}: ${errorText(error)}`);
      }
    }
    return taken;
  }

  private scheduleReaper(idle: IdleReaperOptions): void {
    const every = idle.everyMs ?? Math.min(60_000, Math.max(1000, Math.floor(idle.idleMs / 4)));
    this.reaper = setTimeout(() => {
      this.reapIdle()
        .catch((error: unknown) => this.options.log?.(`idle reaper failed: ${errorText(error)}`))
        .finally(() => {
          if (!this.stopped) this.scheduleReaper(idle);
        });
    }, every);
    this.reaper.unref?.();
  }

  private drive(match: ActiveMatch): void {
    if (match.driving || this.stopped || match.lost || match.stored.status !== "running") return;
    if (this.options.leases && !match.leased) return;
    match.driving = this.driveLoop(match)
      .catch(async (error: unknown) => {
        // Stopping, abandoning or losing the lease aborts model calls: their errors are expected, not a failure.
        if (this.stopped || match.lost || match.stored.status === "abandoned") return;
        const message = error instanceof Error ? error.message : String(error);
        this.options.log?.(`match ${match.stored.id} errored: ${message}`);
        await this.persist(() => this.store.setMatchStatus(match.stored.id, "errored", message)).catch(
          (failure: unknown) =>
            this.options.log?.(`could not mark match ${match.stored.id} errored: ${errorText(failure)}`),
        );
        match.stored.status = "errored";
        match.stored.error = message;
        match.live.clear();
        this.publish(match);
      })
      .finally(() => {
        match.driving = null;
        this.evictIfSettled(match);
      });
  }

  private async driveLoop(match: ActiveMatch): Promise<void> {
    const { stored } = match;
    while (!this.stopped && !match.lost && stored.status === "running") {
      const step = nextStep(stored.config, stored.turns, stored.judgeSteps, stored.verdict);
      if (step.kind === "turns") {
        await Promise.all(step.seats.map((seat) => this.runTurn(match, step.round, seat)));
        this.publish(match);
      } else if (step.kind === "judge" && stored.judgeModel) {
        await this.enqueue(match, () => this.runAiJudge(match, step.round));
        this.publish(match);
      } else {
        // A human judge's turn (the runner waits for an intent, within the time limit if any), or the match is over.
        if (step.kind === "judge") this.armTimer(match, step.round);
        this.publish(match);
        return;
      }
    }
  }

  private async runTurn(match: ActiveMatch, round: number, seat: Seat): Promise<void> {
    const { stored } = match;
    const seatInfo = stored.debaters.find((d) => d.seat === seat);
    if (!seatInfo) throw new Error(`Match has no debater in seat ${seat}.`);
    const live: LiveTurn = { round, speaker: seat, text: "", seq: -1 };
    match.live.set(seat, live);
    this.publish(match);
    const passage = stored.question.passage?.text ?? "";
    const recorder = this.callRecorder(match, round, seat);
    // Only text sure to be in the stored turn goes out live: the judge never reads words past the limit.
    const gate = createLimitedStream(stored.config.wordLimit);
    const forward = (text: string) => {
      live.text = gate.text;
      live.seq += 1;
      this.options.listener?.onDelta({ matchId: stored.id, round, speaker: seat, seq: live.seq, text });
    };
    const reply = await this.options.models
      .debater(seatInfo.model)
      .argue(
        {
          question: stored.question.text,
          options: stored.question.options,
          passage,
          seat,
          option: seatInfo.option,
          round,
          totalRounds: stored.config.rounds,
          transcript: visibleTranscript(stored.turns, seat, round, stored.config),
          wordLimit: stored.config.wordLimit,
          seed: stored.config.seed,
          sampling: stored.config.sampling,
          role: stored.config.protocol === "consultancy" ? "consultant" : "debater",
          judgeQuestions: judgeQuestionsOf(stored.judgeSteps),
        },
        {
          signal: match.abort.signal,
          onDelta: (text) => {
            const settled = gate.push(text);
            if (settled) forward(settled);
          },
          // A retried stream starts over: clear the partial text (seq keeps counting, so clients stay in step).
          onReset: () => {
            gate.reset();
            live.text = "";
            this.publish(match);
          },
          onCall: recorder.record,
        },
      )
      .finally(recorder.flush);
    // The limit is enforced here, whatever the model did: the stored and shown turn never exceeds it.
    const limited = enforceWordLimit(reply.text, stored.config.wordLimit);
    // The live text ends as the stored turn: the held-back end of the last word, the truncation mark.
    let last = gate.finish(limited.text);
    if (last === null) {
      // The reply is not what was streamed (a model that streams differently): the live text starts over.
      gate.reset();
      live.text = "";
      this.publish(match);
      last = gate.finish(limited.text);
    }
    if (last) forward(last);
    const turn: TurnRecord = {
      round,
      speaker: seat,
      option: seatInfo.option,
      text: limited.text,
      quotes: verifyTurnQuotes(limited.text, this.verifierFor(stored.id, passage)),
      model: reply.meta.model,
    };
    const extra = limited.truncated ? { truncatedFrom: reply.text } : {};
    await this.persist(() => this.store.saveTurn(stored.id, turn, reply.meta, extra));
    stored.turns.push(turn);
    // As the stored match counts it (repository.getStoredMatch): the judge's clock starts when the turns are in.
    stored.lastActivityAt = new Date();
    match.live.delete(seat);
  }

  private async runAiJudge(match: ActiveMatch, round: number): Promise<void> {
    const { stored } = match;
    const judge = this.options.models.judge(stored.judgeModel ?? "");
    const recorder = this.callRecorder(match, round);
    const reply = await judge
      .judge(
        {
          question: stored.question.text,
          options: stored.question.options,
          transcript: orderTurns(stored.turns, stored.config),
          round,
          totalRounds: stored.config.rounds,
          seed: stored.config.seed,
          sampling: stored.config.sampling,
          protocol: judgedProtocol(stored.config),
          judgeQuestions: judgeQuestionsOf(stored.judgeSteps),
          ...(judgeSeesPassage(stored.config.protocol) && stored.question.passage
            ? { passage: stored.question.passage.text }
            : {}),
        },
        { signal: match.abort.signal, onCall: recorder.record },
      )
      .finally(recorder.flush);
    // A judge model may ask for another round after the last one; the protocol ends the debate there.
    const action = round >= stored.config.rounds ? "end" : reply.action;
    const tieBreak = action === "end" ? breakTie(reply.probabilities, stored.config.seed + round) : null;
    await this.recordJudgeStep(match, {
      round,
      probabilities: tieBreak?.probabilities ?? reply.probabilities,
      action,
      explanation: tieBreak ? `${reply.reasoning} ${tieBreak.note}` : reply.reasoning,
      ...(action === "continue" && reply.question && judgeMayAsk(stored.config.protocol)
        ? { question: reply.question }
        : {}),
    });
  }

  private async recordJudgeStep(match: ActiveMatch, input: JudgeStepInput): Promise<void> {
    await this.applyDecision(match, { ...decideJudgeStep(match.stored, input, Date.now()), abandon: false });
  }

  private async applyDecision(match: ActiveMatch, decision: ReturnType<typeof decideTimeout>): Promise<void> {
    const { stored } = match;
    this.clearTimer(match);
    await this.persist(() => this.store.saveJudgeStep(stored.id, decision.step, decision.verdict));
    match.draft = null;
    stored.judgeSteps.push(decision.step);
    stored.lastActivityAt = new Date();
    if (decision.verdict) {
      stored.verdict = decision.verdict;
      stored.status = "complete";
    } else if (decision.abandon) {
      const reason = "The judge ran out of time without choosing an answer.";
      await this.persist(() => this.store.setMatchStatus(stored.id, "abandoned", reason));
      stored.status = "abandoned";
      stored.error = reason;
    }
    this.publish(match);
  }

  /** Starts the judge's clock for `round` (counted from the match's last activity, so it survives a restart). */
  private armTimer(match: ActiveMatch, round: number): void {
    const limit = match.stored.config.judgeTimeLimitMs;
    if (limit === null || match.timer || this.stopped) return;
    const delay = Math.max(0, match.stored.lastActivityAt.getTime() + limit - Date.now());
    match.timer = setTimeout(() => {
      match.timer = null;
      this.enqueue(match, () => this.applyDecision(match, decideTimeout(match.stored, round, Date.now(), match.draft)))
        .then(() => this.drive(match))
        .catch((error: unknown) => {
          // The judge acted just before the deadline: nothing to do.
          if (!(error instanceof CruxError))
            this.options.log?.(`timeout of match ${match.stored.id}: ${String(error)}`);
        });
    }, delay);
  }

  private clearTimer(match: ActiveMatch): void {
    if (match.timer) clearTimeout(match.timer);
    match.timer = null;
  }

  /** Collects model-call records while a call runs and stores them; storage failures are logged, never fatal. */
  private callRecorder(match: ActiveMatch, round: number, seat?: Seat) {
    const matchId = match.stored.id;
    // The story is in most prompts of the match, and each turn in every later one: the story is referred to, the
    // turns kept once (lib/matches/prompt-parts.ts).
    const { question, turns } = match.stored;
    const passage =
      question.passage && question.passageId ? { id: question.passageId, text: question.passage.text } : null;
    const shared = turns.map(renderedTurnBody);
    const writes: Promise<void>[] = [];
    return {
      record: (call: ModelCallRecord) => {
        writes.push(
          this.persist(() => this.store.recordModelCall({ matchId, round, seat, passage, shared }, call)).catch(
            (error: unknown) => {
              this.options.log?.(`could not record a model call for match ${matchId}: ${String(error)}`);
            },
          ),
        );
      },
      flush: async () => {
        await Promise.all(writes);
      },
    };
  }

  /** Finished matches leave memory; the database has everything, and `load` brings one back on demand. */
  private evictIfSettled(match: ActiveMatch): void {
    if (match.driving || !isSettledMatchStatus(match.stored.status)) return;
    this.clearTimer(match);
    this.verifiers.delete(match.stored.id);
    if (this.active.get(match.stored.id) !== match) return;
    this.active.delete(match.stored.id);
    // Settled: nothing left to drive, so the lease goes (a later look at the match takes it only for a moment).
    if (match.leased && !match.lost) {
      match.leased = false;
      const leases = this.options.leases;
      if (leases)
        void this.persist(() => leases.release([match.stored.id])).catch((error: unknown) =>
          this.options.log?.(`could not release the lease of ${match.stored.id}: ${errorText(error)}`),
        );
    }
  }

  private verifierFor(matchId: string, passage: string) {
    let verifier = this.verifiers.get(matchId);
    if (!verifier) {
      verifier = createQuoteVerifier(passage);
      this.verifiers.set(matchId, verifier);
    }
    return verifier;
  }

  private publish(match: ActiveMatch): void {
    this.options.listener?.onChange(this.toSnapshot(match));
  }

  private toSnapshot(match: ActiveMatch): MatchSnapshot {
    const { stored } = match;
    const snapshot = storedSnapshot(stored, (spec) => this.options.models.info(spec));
    const { phase } = snapshot;
    return {
      ...snapshot,
      live: [...match.live.values()].map((l) => ({ ...l })),
      deadline:
        phase.kind === "judge" && stored.config.judgeTimeLimitMs !== null && !stored.judgeModel
          ? stored.lastActivityAt.getTime() + stored.config.judgeTimeLimitMs
          : null,
    };
  }
}

/**
 * A verdict needs a side. When an AI judge ends on an exact tie, the tie is broken by the smallest step towards an
 * option drawn from the match seed (reproducible), and the step's message says so. People cannot tie: the UI
 * and the server refuse it.
 */
function breakTie(probabilities: number[], seed: number): { probabilities: number[]; note: string } | null {
  if (chosenOption(probabilities) !== null) return null;
  const top = Math.max(...probabilities);
  const tied = probabilities.flatMap((p, i) => (p === top ? [i] : []));
  const pick = tied[Math.floor(mulberry32(seed)() * tied.length)] ?? 0;
  const nudge = 0.001;
  const others = probabilities.length - 1;
  const adjusted = probabilities.map((p, i) => (i === pick ? p + nudge : p - nudge / others));
  return { probabilities: adjusted, note: `(Tie broken at random towards option ${pick}.)` };
}

/** The idle time in words: whole minutes ("30 minutes"), or seconds below a minute (a test's short idle time). */
function idleDuration(ms: number): string {
  if (ms < 60_000) {
    const seconds = Math.round(ms / 1000);
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  }
  const minutes = Math.round(ms / 60_000);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** When the judge last did something: the stored activity (start, turns, steps) or joining since. */
function lastJudgeActivity(match: ActiveMatch): number {
  return Math.max(match.stored.lastActivityAt.getTime(), match.judgeSeenAt?.getTime() ?? 0);
}

function errorText(error: unknown): string {
  if (error instanceof z.ZodError) return `a stored field does not parse (${zodErrorMessage(error)})`;
  return error instanceof Error ? error.message : String(error);
}
