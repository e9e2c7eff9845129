import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../lib/db/client";
import { connectJudge, createGuestMatch, request, waitForView } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

/** A judge plays a whole match over real sockets against the real server and database. */
describe("playing a match over socket.io", () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("streams three rounds, takes the judge's steps and stores every turn and one verdict", async () => {
    const { matchId, cookie } = await createGuestMatch(server.url);
    const judge = await connectJudge(server.url, cookie);

    const joined = await request(judge, "match:join", { matchId });
    expect(joined.ok).toBe(true);

    for (const round of [1, 2]) {
      const view = await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === round);
      expect(view.turns.filter((t) => t.round === round)).toHaveLength(2);
      const step = await request(judge, "judge:step", {
        matchId,
        round,
        probabilities: [0.4, 0.6],
        action: "continue",
      });
      expect(step).toMatchObject({ ok: true });
    }
    await waitForView(judge, (v) => v.phase.kind === "judge" && v.phase.round === 3);
    const secretsBefore = judge.received.join("\n");
    const final = await request(judge, "judge:step", {
      matchId,
      round: 3,
      probabilities: [0.7, 0.3],
      action: "end",
      explanation: "Debater A quoted more verified evidence.",
    });
    if (!final.ok) throw new Error(final.error.message);
    const view = final.data;
    expect(view.phase.kind).toBe("complete");
    expect(view.reveal?.verdict?.chosen).toBe(0);
    expect(view.reveal?.passage?.text.length).toBeGreaterThan(1000);

    // Streaming really happened: many chunks with increasing sequence numbers per turn.
    const deltas = judge.received.filter((line) => line.startsWith("turn:delta"));
    expect(deltas.length).toBeGreaterThan(50);

    // Nothing secret reached the judge before the verdict.
    const db = createDb(server.databaseUrl);
    const stored = await db.match.findUniqueOrThrow({
      where: { id: matchId },
      include: { question: { include: { passage: true } }, turns: true, verdict: true, judgeSteps: true },
    });
    const passage = stored.question.passage?.text ?? "";
    expect(passage.length).toBeGreaterThan(1000);
    expect(secretsBefore).not.toContain(passage.slice(0, 2000));
    expect(secretsBefore).not.toMatch(/"(gold|correct|reveal)":(?!null)/);
    const quoted = view.turns.flatMap((t) => t.quotes.map((q) => q.text));
    for (const window of passageWindows(passage, quoted)) expect(secretsBefore).not.toContain(window);

    // The database holds every turn, every judge step and exactly one verdict.
    expect(stored.turns).toHaveLength(6);
    expect(stored.judgeSteps.map((s) => s.action)).toEqual(["continue", "continue", "end"]);
    expect(stored.verdict?.chosen).toBe(0);
    expect(stored.verdict?.correct).toBe(stored.question.gold === 0);
    expect(stored.verdict?.explanation).toBe("Debater A quoted more verified evidence.");
    expect(stored.status).toBe("complete");
    await db.$disconnect();
    judge.socket.disconnect();
  });
});

/** Sentences of the passage that no debater quoted: none of them may reach the judge before the verdict. */
function passageWindows(passage: string, quoted: string[]): string[] {
  const windows: string[] = [];
  for (let at = 0; at + 60 < passage.length && windows.length < 40; at += Math.floor(passage.length / 40)) {
    const window = passage.slice(at, at + 60);
    if (!quoted.some((q) => q.includes(window.slice(10, 40)))) windows.push(window);
  }
  return windows;
}
