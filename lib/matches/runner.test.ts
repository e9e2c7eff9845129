import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryMatchStore, matchFixture, ScriptedModels } from "../../tests/support/runner-fakes";
import type { MatchConfigInput } from "../debate/config";
import type { MatchSnapshot } from "../debate/view";
import { DRAFT_SUBMITTED } from "./judge-step";
import type { StoredMatch } from "./repository";
import { type IdleReaperOptions, MatchRunner } from "./runner";

/**
 * The runner's queue, judge timers, eviction and aborts, without a database or a clock: the store is in memory,
 * every model call waits for the test to answer it, and fake timers move time. `flush` lets the runner do all it
 * can without a timer firing (the fakes answer through promises only), so every assertion is about a settled state.
 */

const LIMIT = 60_000;
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(
  config: Omit<MatchConfigInput, "seed"> = {},
  overrides: Partial<StoredMatch> = {},
  extra: { idle?: IdleReaperOptions; others?: StoredMatch[] } = {},
) {
  const store = new MemoryMatchStore(matchFixture(config, overrides), ...(extra.others ?? []));
  const models = new ScriptedModels();
  const changes: MatchSnapshot[] = [];
  const deltas: { seq: number; text: string }[] = [];
  const logs: string[] = [];
  const infos: string[] = [];
  const runner = new MatchRunner({
    store,
    models,
    listener: { onChange: (s) => changes.push(s), onDelta: ({ seq, text }) => deltas.push({ seq, text }) },
    log: (line) => logs.push(line),
    info: (line) => infos.push(line),
    ...(extra.idle ? { idle: extra.idle } : {}),
  });
  runners.push(runner);
  /** Answers every turn asked for until the judge (or the end) is reached. */
  const finishTurns = async () => {
    while (models.turns.length > 0) {
      models.answerTurns();
      await flush();
    }
  };
  const step = (round: number, probabilities: number[], action: "continue" | "end" = "continue") =>
    runner.submitJudgeStep("m1", "judge-1", { round, probabilities, action });
  return { store, models, runner, changes, deltas, logs, infos, finishTurns, step };
}

const runners: MatchRunner[] = [];

beforeEach(() => {
  // setImmediate stays real: `flush` needs it.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: new Date("2026-01-01T00:00:00Z") });
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  vi.useRealTimers();
});

describe("the queue", () => {
  it("starts a waiting match once, however many callers start it together", async () => {
    const { store, models, runner } = setup();
    await Promise.all([runner.start("m1"), runner.start("m1"), runner.start("m1")]);
    await flush();
    expect(store.writesOf("status").map((w) => w.status)).toEqual(["running"]);
    // One drive loop: each opening turn was asked for once.
    expect(models.describe()).toBe("turn 1A, turn 1B");
  });

  it("serialises judge intents: of two steps for the same round, the second is refused and nothing is doubled", async () => {
    const { store, runner, finishTurns, step } = setup({ rounds: 2 });
    await runner.start("m1");
    await finishTurns();
    const [first, second] = await Promise.allSettled([step(1, [0.6, 0.4]), step(1, [0.3, 0.7])]);
    expect(first.status).toBe("fulfilled");
    expect(second).toMatchObject({ status: "rejected", reason: { code: "OUT_OF_TURN" } });
    expect(store.writesOf("judge-step").map((w) => w.step.probabilities)).toEqual([[0.6, 0.4]]);
  });

  it("records the same intent sent twice once, and answers the repeat with the current state", async () => {
    const { store, runner, finishTurns, step } = setup({ rounds: 2 });
    await runner.start("m1");
    await finishTurns();
    const [first, second] = await Promise.all([step(1, [0.6, 0.4], "end"), step(1, [0.6, 0.4], "end")]);
    expect(first.status).toBe("complete");
    expect(second.status).toBe("complete");
    expect(second.verdict).toEqual(first.verdict);
    expect(store.writesOf("judge-step")).toHaveLength(1);
    // Once the match has left memory too.
    expect((await step(1, [0.6, 0.4], "end")).verdict).toMatchObject({ probabilities: [0.6, 0.4], chosen: 0 });
    await expect(step(1, [0.3, 0.7], "end")).rejects.toMatchObject({ code: "MATCH_OVER" });
    expect(store.writesOf("judge-step")).toHaveLength(1);
  });

  it("keeps going after a refused intent", async () => {
    const { store, runner, finishTurns, step } = setup({ rounds: 2 });
    await runner.start("m1");
    await finishTurns();
    await expect(step(1, [0.6, 0.6])).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      runner.submitJudgeStep("m1", "someone-else", { round: 1, probabilities: [0.5, 0.5], action: "continue" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const after = await step(1, [0.6, 0.4]);
    expect(after.phase).toEqual({ kind: "turns", round: 2, seats: ["A"] });
    expect(store.writesOf("judge-step")).toHaveLength(1);
  });

  it("streams a turn's chunks in order and shows the text so far until the turn is stored", async () => {
    const { store, models, runner, deltas } = setup();
    await runner.start("m1");
    models.turn(1, "A").stream("The gardener ");
    models.turn(1, "A").stream("did it.");
    // A word goes out once it is whole (the space or tag after it is written): it may still be growing.
    expect(deltas).toEqual([
      { seq: 0, text: "The gardener" },
      { seq: 1, text: " did" },
    ]);
    const streaming = await runner.snapshot("m1");
    expect(streaming.live).toEqual([
      { round: 1, speaker: "A", text: "The gardener did", seq: 1 },
      { round: 1, speaker: "B", text: "", seq: -1 },
    ]);
    models.turn(1, "A").answer("The gardener did it.");
    await flush();
    // The turn's end goes out when it is stored: the chunks add up to the stored turn.
    expect(deltas.at(-1)).toEqual({ seq: 2, text: " it." });
    const stored = await runner.snapshot("m1");
    expect(stored.live.map((l) => l.speaker)).toEqual(["B"]);
    expect(store.stored("m1").turns.map((t) => `${t.round}${t.speaker}`)).toEqual(["1A"]);
  });

  it("never streams a word past the word limit: the chunks add up to the stored (cut) turn", async () => {
    const { store, models, runner, deltas } = setup({ wordLimit: 20 });
    await runner.start("m1");
    const long = "word ".repeat(100);
    for (const word of long.match(/\S+\s*/g) ?? []) models.turn(1, "A").stream(word);
    const streaming = await runner.snapshot("m1");
    expect(streaming.live.find((l) => l.speaker === "A")?.text).toBe("word ".repeat(20).trimEnd());
    models.turn(1, "A").answer(long);
    await flush();
    const stored = store.stored("m1").turns[0]?.text;
    expect(stored).toBe(`${"word ".repeat(20).trimEnd()}…`);
    expect(deltas.map((d) => d.text).join("")).toBe(stored);
  });
});

describe("judge timers", () => {
  it("times out the judge's step at the deadline, carries the probabilities forward, and the debate goes on", async () => {
    const { store, models, runner, finishTurns } = setup({ rounds: 2, judgeTimeLimitMs: LIMIT });
    await runner.start("m1");
    await finishTurns();
    const judging = await runner.snapshot("m1");
    expect(judging.phase).toEqual({ kind: "judge", round: 1, final: false });
    expect(judging.deadline).toBe(Date.now() + LIMIT);

    await vi.advanceTimersByTimeAsync(LIMIT - 1);
    expect(store.writesOf("judge-step")).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(store.writesOf("judge-step").map((w) => w.step)).toEqual([
      { round: 1, probabilities: [0.5, 0.5], action: "timeout", message: null },
    ]);
    expect(models.describe()).toBe("turn 2A");
  });

  it("turns a timed-out final round into the verdict from the last probabilities", async () => {
    const { store, runner, finishTurns, step } = setup({ rounds: 2, judgeTimeLimitMs: LIMIT });
    await runner.start("m1");
    await finishTurns();
    await step(1, [0.8, 0.2]);
    await finishTurns();
    await vi.advanceTimersByTimeAsync(LIMIT);
    await flush();
    const done = await runner.snapshot("m1");
    expect(done.status).toBe("complete");
    expect(done.judgeSteps.map((s) => s.action)).toEqual(["continue", "timeout"]);
    expect(done.verdict).toMatchObject({ probabilities: [0.8, 0.2], chosen: 0, correct: true, rounds: 2 });
    expect(store.stored("m1").status).toBe("complete");
  });

  it("abandons the match when the final round times out with no side taken", async () => {
    const { store, runner, finishTurns } = setup({ rounds: 1, judgeTimeLimitMs: LIMIT });
    await runner.start("m1");
    await finishTurns();
    await vi.advanceTimersByTimeAsync(LIMIT);
    await flush();
    expect(store.stored("m1")).toMatchObject({ status: "abandoned", error: expect.stringMatching(/ran out of time/) });
    expect(store.stored("m1").judgeSteps.map((s) => s.action)).toEqual(["timeout"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("counts each deadline from the match's last move: a step in time cancels the timer, later turns restart it", async () => {
    const { store, models, runner, finishTurns, step } = setup({
      rounds: 3,
      laterRounds: "simultaneous",
      judgeTimeLimitMs: LIMIT,
    });
    await runner.start("m1");
    // The debaters take a while; the judge's time starts when their turns are in.
    await vi.advanceTimersByTimeAsync(10_000);
    await finishTurns();
    expect((await runner.snapshot("m1")).deadline).toBe(Date.now() + LIMIT);
    await vi.advanceTimersByTimeAsync(LIMIT - 1);
    await step(1, [0.6, 0.4]);
    expect(vi.getTimerCount()).toBe(0);

    await vi.advanceTimersByTimeAsync(5_000);
    expect(models.describe()).toBe("turn 2A, turn 2B");
    await finishTurns();
    const judging = await runner.snapshot("m1");
    expect(judging.phase).toMatchObject({ kind: "judge", round: 2 });
    expect(judging.deadline).toBe(Date.now() + LIMIT);
    await vi.advanceTimersByTimeAsync(LIMIT - 1);
    expect(store.writesOf("judge-step")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(store.stored("m1").judgeSteps.map((s) => s.action)).toEqual(["continue", "timeout"]);
  });

  it("after a restart, counts the judge's time from the stored last move", async () => {
    const now = Date.now();
    const turn = (speaker: "A" | "B", option: number) => ({
      round: 1,
      speaker,
      option,
      text: "An argument.",
      quotes: [],
      model: "fake:debater",
    });
    const { store, runner } = setup(
      { rounds: 2, judgeTimeLimitMs: LIMIT },
      {
        status: "running",
        startedAt: new Date(now - 50_000),
        lastActivityAt: new Date(now - 40_000),
        turns: [turn("A", 0), turn("B", 1)],
      },
    );
    expect(await runner.resumeInFlight()).toBe(1);
    await flush();
    expect((await runner.snapshot("m1")).deadline).toBe(now + LIMIT - 40_000);
    await vi.advanceTimersByTimeAsync(LIMIT - 40_000 - 1);
    expect(store.writesOf("judge-step")).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(store.writesOf("judge-step").map((w) => w.step.action)).toEqual(["timeout"]);
  });

  it("sets no timer without a time limit, nor for an AI judge", async () => {
    const human = setup({ rounds: 2 });
    await human.runner.start("m1");
    await human.finishTurns();
    expect((await human.runner.snapshot("m1")).deadline).toBeNull();
    expect(vi.getTimerCount()).toBe(0);

    const ai = setup({ rounds: 2, judgeTimeLimitMs: LIMIT }, { judgeModel: "fake:judge" });
    await ai.runner.start("m1");
    await ai.finishTurns();
    expect(ai.models.describe()).toBe("judge 1");
    expect((await ai.runner.snapshot("m1")).deadline).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("submits the judge's last draft (their slider) as the verdict when the final round's time runs out", async () => {
    const { store, runner, finishTurns } = setup({ rounds: 1, judgeTimeLimitMs: LIMIT });
    await runner.start("m1");
    await finishTurns();
    await runner.recordDraft("m1", "judge-1", { round: 1, probabilities: [0.4, 0.6] });
    await vi.advanceTimersByTimeAsync(LIMIT / 2);
    await runner.recordDraft("m1", "judge-1", { round: 1, probabilities: [0.7, 0.3] });
    await vi.advanceTimersByTimeAsync(LIMIT / 2);
    await flush();
    const done = store.stored("m1");
    expect(done.status).toBe("complete");
    expect(done.judgeSteps).toEqual([
      { round: 1, probabilities: [0.7, 0.3], action: "timeout", message: DRAFT_SUBMITTED },
    ]);
    expect(done.verdict).toMatchObject({
      probabilities: [0.7, 0.3],
      chosen: 0,
      explanation: expect.stringMatching(/slider/),
    });
  });

  it("submits a draft at an earlier round's timeout, and forgets it once the step is stored", async () => {
    const { store, models, runner, finishTurns } = setup({ rounds: 3, judgeTimeLimitMs: LIMIT });
    await runner.start("m1");
    await finishTurns();
    await runner.recordDraft("m1", "judge-1", { round: 1, probabilities: [0.2, 0.8] });
    await vi.advanceTimersByTimeAsync(LIMIT);
    await flush();
    expect(models.describe()).toBe("turn 2A");
    await finishTurns();
    // No draft for round 2: its timeout carries round 1's probabilities forward, as before.
    await vi.advanceTimersByTimeAsync(LIMIT);
    await flush();
    expect(store.stored("m1").judgeSteps.map((s) => [s.action, s.probabilities, s.message])).toEqual([
      ["timeout", [0.2, 0.8], DRAFT_SUBMITTED],
      ["timeout", [0.2, 0.8], null],
    ]);
  });

  it("ignores drafts when the match's submitDraftOnTimeout is off", async () => {
    const { store, runner, finishTurns } = setup({ rounds: 1, judgeTimeLimitMs: LIMIT, submitDraftOnTimeout: false });
    await runner.start("m1");
    await finishTurns();
    await runner.recordDraft("m1", "judge-1", { round: 1, probabilities: [0.7, 0.3] });
    await vi.advanceTimersByTimeAsync(LIMIT);
    await flush();
    expect(store.stored("m1")).toMatchObject({ status: "abandoned", error: expect.stringMatching(/ran out of time/) });
  });

  it("refuses drafts out of turn, malformed, or from someone else, and writes nothing for a draft", async () => {
    const { store, runner, finishTurns } = setup({ rounds: 2, judgeTimeLimitMs: LIMIT });
    await runner.start("m1");
    await expect(runner.recordDraft("m1", "judge-1", { round: 1, probabilities: [0.7, 0.3] })).rejects.toMatchObject({
      code: "OUT_OF_TURN",
    });
    await finishTurns();
    await expect(runner.recordDraft("m1", "judge-1", { round: 2, probabilities: [0.7, 0.3] })).rejects.toMatchObject({
      code: "OUT_OF_TURN",
    });
    await expect(runner.recordDraft("m1", "judge-1", { round: 1, probabilities: [0.7, 0.7] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      runner.recordDraft("m1", "someone-else", { round: 1, probabilities: [0.7, 0.3] }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await runner.recordDraft("m1", "judge-1", { round: 1, probabilities: [0.7, 0.3] });
    expect(store.writes.filter((w) => w.kind !== "status")).toEqual([...store.writesOf("turn")]);
    expect(store.writesOf("judge-step")).toEqual([]);
  });

  it("clears pending deadlines on stop", async () => {
    const { store, runner, finishTurns } = setup({ rounds: 2, judgeTimeLimitMs: LIMIT });
    await runner.start("m1");
    await finishTurns();
    expect(vi.getTimerCount()).toBe(1);
    await runner.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(store.stored("m1").status).toBe("running");
  });
});

describe("eviction", () => {
  it("keeps a match in memory while it runs and lets it go once it is over", async () => {
    const { store, runner, finishTurns, step } = setup({ rounds: 1 });
    await runner.start("m1");
    await finishTurns();
    const loads = store.loads;
    await runner.snapshot("m1");
    expect(store.loads).toBe(loads);

    const done = await step(1, [0.3, 0.7], "end");
    expect(done.status).toBe("complete");
    // Over: the next read comes from the store, with the same result.
    const again = await runner.snapshot("m1");
    expect(store.loads).toBe(loads + 1);
    expect(done.verdict).toMatchObject(again.verdict ?? { missing: "verdict" });
  });

  it("lets an errored match go, with the model's error recorded and logged", async () => {
    const { store, models, runner, logs } = setup();
    await runner.start("m1");
    models.turn(1, "B").fail(new Error("provider down"));
    await flush();
    expect(store.stored("m1")).toMatchObject({ status: "errored", error: "provider down" });
    expect(logs).toEqual(["match m1 errored: provider down"]);
    // Turn 1A is still being asked for; its answer must not revive the match.
    models.answerTurns();
    await flush();
    const loads = store.loads;
    expect((await runner.snapshot("m1")).status).toBe("errored");
    expect(store.loads).toBe(loads + 1);
  });
});

describe("abort", () => {
  it("abandoning aborts the model calls in flight, keeps what was played, and asks nothing more", async () => {
    const { store, models, runner, finishTurns, step } = setup({ rounds: 2, judgeTimeLimitMs: LIMIT });
    await runner.start("m1");
    await finishTurns();
    await step(1, [0.6, 0.4]);
    models.turn(2, "A").stream("Half a");

    const ended = await runner.abandon("m1", "Ended by the researcher.");
    expect(models.aborted).toEqual(["turn 2A"]);
    expect(ended).toMatchObject({ status: "abandoned", error: "Ended by the researcher.", live: [] });
    expect(ended.turns.map((t) => `${t.round}${t.speaker}`)).toEqual(["1A", "1B"]);
    // The aborted call is expected: the match is not marked errored, and no timer or turn follows.
    expect(store.writesOf("status").map((w) => w.status)).toEqual(["running", "abandoned"]);
    expect(models.describe()).toBe("");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("leaves a finished match as it is", async () => {
    const { store, runner, finishTurns, step } = setup({ rounds: 1 });
    await runner.start("m1");
    await finishTurns();
    await step(1, [0.3, 0.7], "end");
    const after = await runner.abandon("m1", "Too late.");
    expect(after).toMatchObject({ status: "complete", error: null });
    expect(store.writesOf("status").map((w) => w.status)).toEqual(["running"]);
  });

  it("stop aborts calls in flight and leaves the match running, to be resumed", async () => {
    const { store, models, runner, logs } = setup();
    await runner.start("m1");
    await runner.stop();
    expect(models.aborted).toEqual(["turn 1A", "turn 1B"]);
    expect(store.stored("m1").status).toBe("running");
    expect(logs).toEqual([]);

    // A new process picks it up and redoes the interrupted turns.
    const models2 = new ScriptedModels();
    const next = new MatchRunner({ store, models: models2 });
    runners.push(next);
    expect(await next.resumeInFlight()).toBe(1);
    expect(models2.describe()).toBe("turn 1A, turn 1B");
  });
});

describe("an AI judge", () => {
  it("is asked after each round, and an exact tie at the end is broken by the seed", async () => {
    const { store, models, runner, finishTurns } = setup(
      { rounds: 2, laterRounds: "simultaneous" },
      {
        judgeModel: "fake:judge",
        judgeId: null,
      },
    );
    const ran = runner.runToEnd("m1");
    await flush();
    await finishTurns();
    models.judgements[0]?.answer({ probabilities: [0.6, 0.4], action: "continue", reasoning: "A leads." });
    await flush();
    await finishTurns();
    expect(models.judgements[0]?.input.round).toBe(2);
    models.judgements[0]?.answer({ probabilities: [0.5, 0.5], action: "continue", reasoning: "Even." });
    const done = await ran;
    expect(done.status).toBe("complete");
    expect(done.judgeSteps.map((s) => s.action)).toEqual(["continue", "end"]);
    expect(done.verdict?.chosen).not.toBeNull();
    expect(done.verdict?.explanation).toMatch(/^Even\. \(Tie broken at random towards option [01]\.\)$/);
    expect(store.stored("m1").status).toBe("complete");
  });
});

const IDLE = 30 * 60_000;
const EVERY = 60_000;
const busy = () => Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });

describe("the idle reaper", () => {
  it("abandons a match joined and left once its judge has done nothing for the idle time, and frees it", async () => {
    const { store, runner, finishTurns, changes, infos } = setup(
      { rounds: 2 },
      {},
      { idle: { idleMs: IDLE, everyMs: EVERY } },
    );
    await runner.start("m1");
    await finishTurns();
    // Waiting for the judge, who has gone: one beat short of the idle time, nothing happens.
    await vi.advanceTimersByTimeAsync(IDLE);
    expect(store.stored("m1").status).toBe("running");
    // The first beat after the idle time.
    await vi.advanceTimersByTimeAsync(EVERY);
    await flush();
    expect(store.stored("m1")).toMatchObject({
      status: "abandoned",
      error: expect.stringMatching(/No judge activity for 30 minutes/),
    });
    expect(store.writesOf("status").map((w) => w.status)).toEqual(["running", "abandoned"]);
    expect(changes.at(-1)).toMatchObject({ status: "abandoned", phase: { kind: "errored" } });
    expect(infos).toEqual(["match m1 abandoned: no judge activity for 30 minutes"]);

    // Freed: the next read loads it from the store, and a judge who comes back sees it ended, with the reason.
    const loads = store.loads;
    const back = await runner.start("m1");
    expect(store.loads).toBe(loads + 1);
    expect(back).toMatchObject({ status: "abandoned", phase: { kind: "errored" } });
    await expect(
      runner.submitJudgeStep("m1", "judge-1", { round: 1, probabilities: [0.6, 0.4], action: "continue" }),
    ).rejects.toThrow();
    expect(store.writesOf("judge-step")).toEqual([]);
  });

  it("abandons a waiting match nobody joined, counted from its creation", async () => {
    const { store, runner } = setup({}, {}, { idle: { idleMs: IDLE, everyMs: EVERY } });
    await vi.advanceTimersByTimeAsync(IDLE + EVERY);
    await flush();
    expect(store.stored("m1").status).toBe("abandoned");
    expect(await runner.reapIdle()).toEqual([]);
  });

  it("counts a judge joining again as activity", async () => {
    const { store, runner, finishTurns } = setup({ rounds: 2 }, {}, { idle: { idleMs: IDLE, everyMs: EVERY } });
    await runner.start("m1");
    await finishTurns();
    await vi.advanceTimersByTimeAsync(IDLE - 5 * 60_000);
    await runner.start("m1");
    await vi.advanceTimersByTimeAsync(IDLE - EVERY);
    await flush();
    expect(store.stored("m1").status).toBe("running");
    await vi.advanceTimersByTimeAsync(2 * EVERY);
    await flush();
    expect(store.stored("m1").status).toBe("abandoned");
  });

  it("leaves AI-judged matches and finished ones alone, and runs the extra sweep on each beat", async () => {
    const sweeps: Date[] = [];
    const done = matchFixture({ rounds: 1 }, { id: "m2", status: "complete" });
    const { store, models, runner } = setup(
      {},
      { judgeModel: "fake:judge", judgeId: null },
      { idle: { idleMs: IDLE, everyMs: EVERY, sweep: async (now) => void sweeps.push(now) }, others: [done] },
    );
    await runner.start("m1");
    await vi.advanceTimersByTimeAsync(IDLE + EVERY);
    await flush();
    expect(store.stored("m1").status).toBe("running");
    expect(store.stored("m2").status).toBe("complete");
    expect(models.describe()).toBe("turn 1A, turn 1B");
    expect(sweeps.length).toBe((IDLE + EVERY) / EVERY);
  });

  it("counts no idleness before the runner started: after a restart, judges get the whole idle time to come back", async () => {
    // The stored activity is long past (the process was down meanwhile).
    const longAgo = new Date(Date.now() - 10 * IDLE);
    const { store, runner } = setup(
      { rounds: 2 },
      { status: "running", startedAt: longAgo, lastActivityAt: longAgo, createdAt: longAgo },
    );
    const restarted = new MatchRunner({ store, models: new ScriptedModels(), idle: { idleMs: IDLE, everyMs: EVERY } });
    runners.push(restarted);
    expect(await restarted.reapIdle(new Date(Date.now() + IDLE - 1))).toEqual([]);
    expect(store.stored("m1").status).toBe("running");
    expect(await restarted.reapIdle(new Date(Date.now() + IDLE + 1))).toEqual(["m1"]);
    expect(store.stored("m1").status).toBe("abandoned");
    await runner.stop();
  });

  it("says a sub-minute idle time in seconds, and holds nothing in memory once the match is abandoned", async () => {
    const short = 6000;
    const { store, runner, finishTurns, infos } = setup({ rounds: 2 }, {}, { idle: { idleMs: short, everyMs: 1000 } });
    await runner.start("m1");
    await finishTurns();
    expect(runner.footprint()).toEqual({ liveMatches: 1, quoteIndexes: 1 });
    await vi.advanceTimersByTimeAsync(short + 1000);
    await flush();
    expect(store.stored("m1")).toMatchObject({ status: "abandoned", error: "No judge activity for 6 seconds." });
    expect(infos).toEqual(["match m1 abandoned: no judge activity for 6 seconds"]);
    expect(runner.footprint()).toEqual({ liveMatches: 0, quoteIndexes: 0 });
    // Reading or drafting on the ended match does not bring it back into memory for good.
    await runner.snapshot("m1");
    await expect(runner.recordDraft("m1", "judge-1", { round: 1, probabilities: [0.5, 0.5] })).rejects.toThrow();
    expect(runner.footprint()).toEqual({ liveMatches: 0, quoteIndexes: 0 });
  });

  it("stops looking when the runner stops", async () => {
    const { runner } = setup({}, {}, { idle: { idleMs: IDLE, everyMs: EVERY } });
    expect(vi.getTimerCount()).toBe(1);
    await runner.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("resuming after a restart", () => {
  it("resumes each match on its own: a row that does not load is logged and marked errored, the others resume", async () => {
    const running = { status: "running" as const, startedAt: new Date() };
    const { store, models, runner, logs } = setup(
      {},
      { ...running, id: "m1" },
      {
        others: [matchFixture({}, { ...running, id: "bad" }), matchFixture({}, { ...running, id: "m3" })],
      },
    );
    store.corrupt.add("bad");
    expect(await runner.resumeInFlight()).toBe(2);
    await flush();
    expect(models.describe()).toBe("turn 1A, turn 1B, turn 1A, turn 1B");
    expect(store.stored("bad")).toMatchObject({
      status: "errored",
      error: "Could not be resumed after a restart: match bad: config does not parse",
    });
    expect(logs).toEqual(["match bad errored: Could not be resumed after a restart: match bad: config does not parse"]);
    expect(store.stored("m1").status).toBe("running");
    expect(store.stored("m3").status).toBe("running");
  });
});

describe("a busy database", () => {
  it("retries a turn, a judge step and a status change after a pause: the match goes on and nothing is doubled", async () => {
    const { store, models, runner, logs, infos, step } = setup({ rounds: 1 });
    store.failNext("setMatchStatus", busy());
    const starting = runner.start("m1");
    await vi.advanceTimersByTimeAsync(1000);
    await starting;
    store.failNext("saveTurn", busy(), 3);
    models.answerTurns();
    await flush();
    expect(store.writesOf("turn")).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    await flush();
    expect(
      store
        .stored("m1")
        .turns.map((t) => t.speaker)
        .sort(),
    ).toEqual(["A", "B"]);
    store.failNext("saveJudgeStep", busy(), 2);
    const judging = step(1, [0.2, 0.8], "end");
    await vi.advanceTimersByTimeAsync(1000);
    expect(await judging).toMatchObject({ status: "complete" });
    expect(store.writesOf("judge-step")).toHaveLength(1);
    expect(store.writesOf("status").map((w) => w.status)).toEqual(["running"]);
    expect(logs).toEqual([]);
    expect(infos.filter((line) => line.startsWith("database busy"))).toHaveLength(6);
  });

  it("still errors a match on a write that fails for good", async () => {
    const { store, models, runner, logs } = setup();
    await runner.start("m1");
    store.failNext("saveTurn", new Error("disk I/O error"));
    models.turn(1, "A").answer("A turn.");
    await flush();
    expect(store.stored("m1")).toMatchObject({ status: "errored", error: "disk I/O error" });
    expect(logs).toEqual(["match m1 errored: disk I/O error"]);
  });
});
