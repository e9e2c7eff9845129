import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getUserBySessionToken } from "../../lib/auth/guest";
import { createDb, type Db } from "../../lib/db/client";
import { seatsOf } from "../../lib/debate/protocols";
import type { MatchView } from "../../lib/debate/view";
import { type RecordedMode, recordedSourceProtocolSchema } from "../../lib/debate/vocabulary";
import { createRecordedMatch, RECORDED_PLAY_DATASET, replayableRounds } from "../../lib/matches/recorded";
import { applyDelta } from "../../lib/realtime/deltas";
import type { TurnDelta } from "../../lib/realtime/protocol";
import { connectJudge, createGuestMatch, type RecordingSocket, request, waitForView } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

/**
 * Recorded debates re-judged live (the recorded protocol): NYU 2023 debates, imported, replayed to new judges over
 * the real socket layer — stepped (round by round, the judge may stop) and timed (every round, then one verdict),
 * with a reconnect in the middle of a replayed turn. Every frame the judge receives before their verdict is checked
 * for the story, the gold answer and anything of the source debate's own judgment.
 */

interface Source {
  id: string;
  rounds: number;
  turns: Map<string, string>;
  passage: string;
  /** Texts only the source's judge wrote (their explanations and questions): never shown before the verdict. */
  judgeTexts: string[];
  verdict: { chosen: number | null; probabilities: number[] };
}

describe("recorded debates, re-judged over the socket layer", () => {
  let server: RunningServer;
  let db: Db;
  const sources: Source[] = [];

  beforeAll(async () => {
    // Slow enough that a turn is still streaming when the judge reconnects, fast enough for a test.
    // The shipped NYU 2023 debates, seeded on start as on a fresh install.
    server = await startServer({ env: { CRUX_RECORDED_WORD_DELAY_MS: "8", CRUX_SEED_DEBATES_ON_START: "1" } });
    db = createDb(server.databaseUrl);
    const matches = await db.match.findMany({
      where: { study: { name: RECORDED_PLAY_DATASET, status: "imported" } },
      include: { turns: true, judgeSteps: true, verdict: true, question: { include: { passage: true } } },
      orderBy: { planKey: "asc" },
    });
    for (const match of matches) {
      const protocol = recordedSourceProtocolSchema.safeParse(match.protocol);
      if (!protocol.success || !match.verdict || !match.question.passage) continue;
      const turns = match.turns.map((t) => ({ round: t.round, speaker: t.speaker as "A" | "B", text: t.text }));
      const rounds = replayableRounds(turns, seatsOf(protocol.data));
      const judgeTexts = [match.verdict.explanation, ...match.judgeSteps.map((s) => s.message)].filter(
        (text): text is string => typeof text === "string" && text.trim().length >= 25,
      );
      if (protocol.data === "consultancy" || rounds < 2 || rounds > 3 || judgeTexts.length === 0) continue;
      sources.push({
        id: match.id,
        rounds,
        turns: new Map(turns.map((t) => [`${t.round}${t.speaker}`, t.text])),
        passage: match.question.passage.text,
        judgeTexts,
        verdict: { chosen: match.verdict.chosen, probabilities: match.verdict.probabilities as number[] },
      });
    }
    expect(sources.length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  /** A new guest judge with a recorded match of `source` to judge. */
  async function recordedMatch(source: Source, mode: RecordedMode) {
    const { cookie } = await createGuestMatch(server.url);
    const user = await getUserBySessionToken(db, decodeURIComponent(cookie.split("=")[1] ?? ""));
    if (!user) throw new Error("no guest user");
    const { id } = await createRecordedMatch(db, { sourceMatchId: source.id, mode, judgeId: user.id });
    return { matchId: id, cookie };
  }

  async function join(cookie: string, matchId: string): Promise<{ judge: RecordingSocket; view: MatchView }> {
    const judge = await connectJudge(server.url, cookie);
    const joined = await request(judge, "match:join", { matchId });
    if (!joined.ok) throw new Error(joined.error.message);
    return { judge, view: joined.data };
  }

  /** Everything a judge received, checked for what only the verdict may reveal. */
  function expectNothingSecret(frames: string, source: Source): void {
    expect(frames.length).toBeGreaterThan(1000);
    expect(frames).not.toContain(source.passage.slice(1000, 1400));
    expect(frames).not.toMatch(/"(gold|correct|original|honest)":/);
    expect(frames).not.toContain(source.id);
    for (const text of source.judgeTexts) expect(frames).not.toContain(JSON.stringify(text).slice(1, 60));
  }

  function expectSourceTurns(view: MatchView, source: Source, rounds: number): void {
    const shown = view.turns.filter((t) => t.round <= rounds);
    expect(shown).toHaveLength(rounds * 2);
    for (const turn of shown) expect(turn.text).toBe(source.turns.get(`${turn.round}${turn.speaker}`));
  }

  it("stepped: round by round with the judge's controls, through a reconnect mid-turn, stopped early", async () => {
    const source = sources[0] as Source;
    const { matchId, cookie } = await recordedMatch(source, "stepped");
    const first = await join(cookie, matchId);
    expect(first.view.protocol).toBe("recorded");
    expect(first.view.recordedMode).toBe("stepped");
    expect(first.view.rounds).toBe(source.rounds);
    expect(first.view.judgeMayAsk).toBe(false);
    expect(first.view.debaters.map((d) => d.label)).toEqual(["Recorded debater", "Recorded debater"]);

    const one = await waitForView(first.judge, (v) => v.phase.kind === "judge" && v.phase.round === 1);
    expectSourceTurns(one, source, 1);
    // Quotes were checked against the story, as in any live match.
    expect(one.turns.flatMap((t) => t.quotes).some((q) => q.verified)).toBe(true);
    const asked = await request(first.judge, "judge:step", {
      matchId,
      round: 1,
      probabilities: [0.4, 0.6],
      action: "continue",
      question: "Why?",
    });
    expect(asked).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    const next = await request(first.judge, "judge:step", {
      matchId,
      round: 1,
      probabilities: [0.4, 0.6],
      action: "continue",
    });
    expect(next.ok).toBe(true);

    // Round 2 streams at reading pace; the judge drops out part way through a turn and comes back.
    const partWay = new Promise<TurnDelta>((resolve) => {
      first.judge.socket.on("turn:delta", (delta) => {
        if (delta.round === 2 && delta.seq >= 5) resolve(delta);
      });
    });
    const cut = await partWay;
    first.judge.socket.disconnect();
    // As the judge's page does: the view the join answers with is held from the moment the answer arrives (chunks
    // may follow it in the same read, before any awaiting code runs); a fresh view replaces the one held (it may
    // overtake chunks, or start the next turn), and each chunk must extend what is held — a gap would make the page
    // resync. Chunks before the answer are in the view it carries.
    const second = { judge: await connectJudge(server.url, cookie) };
    let held: MatchView | null = null;
    let gap = false;
    second.judge.socket.on("match:view", (fresh) => {
      if (held) held = fresh;
    });
    second.judge.socket.on("turn:delta", (delta) => {
      if (!held) return;
      const applied = applyDelta(held, delta);
      if (applied) held = applied;
      else gap = true;
    });
    const rejoined = await new Promise<MatchView>((resolve, reject) => {
      second.judge.socket.emit("match:join", { matchId }, (ack) => {
        second.judge.received.push(`ack:match:join ${JSON.stringify(ack)}`);
        if (!ack.ok) return reject(new Error(ack.error.message));
        held = ack.data;
        resolve(ack.data);
      });
    });
    const live = rejoined.live.find((l) => l.round === 2 && l.speaker === cut.speaker);
    const full = source.turns.get(`2${cut.speaker}`) ?? "";
    // Mid-turn: the rejoined view carries the text so far, which the chunks that follow complete exactly.
    expect(live).toBeDefined();
    if (live) {
      expect(live.seq).toBeGreaterThanOrEqual(cut.seq);
      expect(full.startsWith(live.text)).toBe(true);
      await waitForView(second.judge, (v) => v.turns.some((t) => t.round === 2 && t.speaker === cut.speaker));
      expect(gap).toBe(false);
      const streamed = (held as MatchView | null)?.live.find((l) => l.round === 2 && l.speaker === cut.speaker);
      if (streamed) expect(streamed.text).toBe(full);
    }
    const two = await waitForView(second.judge, (v) => v.phase.kind === "judge" && v.phase.round === 2);
    expectSourceTurns(two, source, 2);
    const before = [...first.judge.received, ...second.judge.received].join("\n");
    expectNothingSecret(before, source);

    const verdict = await request(second.judge, "judge:step", {
      matchId,
      round: 2,
      probabilities: [0.3, 0.7],
      action: "end",
      explanation: "B quoted more.",
    });
    if (!verdict.ok) throw new Error(verdict.error.message);
    expect(verdict.data.status).toBe("complete");
    expect(verdict.data.reveal?.verdict?.rounds).toBe(2);
    // After the verdict: how the original judge did, and where the debate came from.
    expect(verdict.data.reveal?.original?.matchId).toBe(source.id);
    expect(verdict.data.reveal?.original?.verdict?.chosen).toBe(source.verdict.chosen);
    expect(verdict.data.reveal?.original?.judge.kind).toBe("human");
    expect(verdict.data.reveal?.passage?.text).toBe(source.passage);

    const stored = await db.match.findUniqueOrThrow({
      where: { id: matchId },
      include: { judgeSteps: { orderBy: { round: "asc" } }, verdict: true, turns: true },
    });
    expect(stored.sourceMatchId).toBe(source.id);
    expect(stored.protocol).toBe("recorded");
    expect(stored.judgeSteps.map((s) => [s.round, s.action])).toEqual([
      [1, "continue"],
      [2, "end"],
    ]);
    expect(stored.verdict?.chosen).toBe(1);
    expect(stored.verdict?.timeTakenMs).toBeGreaterThan(0);
    // Each replayed turn stored once, naming its source and seat.
    expect(stored.turns).toHaveLength(4);
    expect(new Set(stored.turns.map((t) => t.model))).toEqual(
      new Set([`recorded:${source.id}:A`, `recorded:${source.id}:B`]),
    );
    second.judge.socket.disconnect();
  }, 120_000);

  it("timed: every round first, then one verdict — no step is taken before", async () => {
    const source = sources[1] as Source;
    const { matchId, cookie } = await recordedMatch(source, "timed");
    const { judge, view: first } = await join(cookie, matchId);
    expect(first.recordedMode).toBe("timed");
    const early = await request(judge, "judge:step", {
      matchId,
      round: 1,
      probabilities: [0.6, 0.4],
      action: "end",
    });
    expect(early).toMatchObject({ ok: false, error: { code: "OUT_OF_TURN" } });

    const last = await waitForView(judge, (v) => v.phase.kind === "judge");
    expect(last.phase).toEqual({ kind: "judge", round: source.rounds, final: true });
    expect(judge.views.some((v) => v.phase.kind === "judge" && v.phase.round < source.rounds)).toBe(false);
    expectSourceTurns(last, source, source.rounds);
    expectNothingSecret(judge.received.join("\n"), source);

    const verdict = await request(judge, "judge:step", {
      matchId,
      round: source.rounds,
      probabilities: [0.8, 0.2],
      action: "end",
    });
    if (!verdict.ok) throw new Error(verdict.error.message);
    expect(verdict.data.reveal?.verdict).toMatchObject({ chosen: 0, rounds: source.rounds });
    expect(verdict.data.reveal?.original?.matchId).toBe(source.id);
    const steps = await db.judgeStep.findMany({ where: { matchId } });
    expect(steps.map((s) => s.round)).toEqual([source.rounds]);
    judge.socket.disconnect();
  }, 120_000);

  it('free play: each "Judge a real debate" replays a shipped debate the player has not judged', async () => {
    const seeded = await db.match.count({ where: { study: { name: RECORDED_PLAY_DATASET } } });
    expect(seeded).toBe(32);
    const first = await createGuestMatch(server.url, undefined, { body: { recorded: true } });
    const second = await createGuestMatch(server.url, first.cookie, { body: { recorded: true } });
    const made = await db.match.findMany({
      where: { id: { in: [first.matchId, second.matchId] } },
      include: { source: { include: { study: true } } },
    });
    expect(made.map((m) => m.protocol)).toEqual(["recorded", "recorded"]);
    expect(made.every((m) => m.source?.study?.name === RECORDED_PLAY_DATASET)).toBe(true);
    expect(new Set(made.map((m) => m.sourceMatchId)).size).toBe(2);
    expect(made.every((m) => (m.config as { recorded?: { mode?: string } }).recorded?.mode === "stepped")).toBe(true);
    const { judge, view } = await join(first.cookie, first.matchId);
    expect(view.protocol).toBe("recorded");
    judge.socket.disconnect();
  });

  it("refuses a source that is not a finished debate", async () => {
    const { cookie } = await createGuestMatch(server.url);
    const user = await getUserBySessionToken(db, decodeURIComponent(cookie.split("=")[1] ?? ""));
    const open = await db.match.findFirstOrThrow({ where: { judgeId: user?.id ?? "" } });
    await expect(createRecordedMatch(db, { sourceMatchId: open.id })).rejects.toThrow(/finished debate/);
    await expect(createRecordedMatch(db, { sourceMatchId: "no-such-match" })).rejects.toThrow(/No match/);
  });
});
