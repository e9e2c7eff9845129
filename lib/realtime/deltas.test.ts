import { describe, expect, it } from "vitest";
import type { LiveTurn, MatchView } from "../debate/view";
import { applyDelta, DeltaCoalescer } from "./deltas";
import type { TurnDelta } from "./protocol";

const base: MatchView = {
  id: "m1",
  role: "judge",
  protocol: "debate",
  status: "running",
  error: null,
  phase: { kind: "turns", round: 1, seats: ["A", "B"] },
  rounds: 3,
  wordLimit: 150,
  scoring: { rule: "log", roundCost: 0 },
  question: { text: "Q?", options: ["x", "y"], passageTitle: null, hasPassage: false },
  optionOrder: [0, 1],
  judgeMayAsk: false,
  judgeQuestions: [],
  deadline: null,
  recordedMode: null,
  passage: null,
  debaters: [],
  turns: [],
  live: [{ round: 1, speaker: "A", text: "Hello ", seq: 0 }],
  judgeSteps: [],
  reveal: null,
};
const delta = (speaker: "A" | "B", seq: number, text: string) => ({ matchId: "m1", round: 1, speaker, seq, text });

describe("applyDelta", () => {
  it("appends the next chunk of a live turn", () => {
    expect(applyDelta(base, delta("A", 1, "world"))?.live[0]).toEqual({
      round: 1,
      speaker: "A",
      text: "Hello world",
      seq: 1,
    });
  });

  it("starts a live turn on its first chunk", () => {
    expect(applyDelta(base, delta("B", 0, "Hi"))?.live[1]).toMatchObject({ speaker: "B", text: "Hi", seq: 0 });
  });

  it("ignores chunks already included, so a fresh view never doubles text", () => {
    expect(applyDelta(base, delta("A", 0, "Hello "))).toBe(base);
  });

  it("asks for a resync when a chunk is missing", () => {
    expect(applyDelta(base, delta("A", 2, "lost"))).toBeNull();
    expect(applyDelta(base, delta("B", 3, "late"))).toBeNull();
  });

  it("ignores chunks of a turn that has already finished", () => {
    const finished = {
      ...base,
      live: [],
      turns: [{ round: 1, speaker: "A" as const, option: 0, text: "Hello world", quotes: [], model: "m" }],
    };
    expect(applyDelta(finished, delta("A", 5, "x"))).toBe(finished);
  });
});

/** A coalescer whose event-loop turns end when the test says so (`tick`), and everything it sent. */
function coalescer() {
  const sent: TurnDelta[] = [];
  let flush: (() => void) | null = null;
  const chunks = new DeltaCoalescer(
    (chunk) => sent.push(chunk),
    (f) => {
      flush = f;
    },
  );
  const tick = () => {
    const f = flush;
    flush = null;
    f?.();
  };
  return { chunks, sent, tick };
}

const live = (speaker: "A" | "B", text: string, seq: number): LiveTurn => ({ round: 1, speaker, text, seq });

describe("DeltaCoalescer", () => {
  it("sends a delta at once when it is the only one in its event-loop turn, numbered by chunks sent", () => {
    const { chunks, sent, tick } = coalescer();
    chunks.push(delta("A", 0, "Hello "));
    tick();
    chunks.push(delta("A", 1, "world"));
    chunks.push(delta("B", 0, "Hi"));
    expect(sent).toEqual([delta("A", 0, "Hello "), delta("A", 1, "world"), delta("B", 0, "Hi")]);
  });

  it("joins the rest of a burst into one chunk at the end of the turn", () => {
    const { chunks, sent, tick } = coalescer();
    for (const [seq, text] of ["a", "b", "c", "d"].entries()) chunks.push(delta("A", seq, text));
    expect(sent).toEqual([delta("A", 0, "a")]);
    tick();
    expect(sent).toEqual([delta("A", 0, "a"), delta("A", 1, "bcd")]);
    chunks.push(delta("A", 4, "e"));
    expect(sent.at(-1)).toEqual(delta("A", 2, "e"));
  });

  it("renumbers a change broadcast's live turns after sending what it includes, and forgets finished turns", () => {
    const { chunks, sent, tick } = coalescer();
    for (const [seq, text] of ["a", "b", "c"].entries()) chunks.push(delta("A", seq, text));
    chunks.push(delta("B", 0, "x"));
    chunks.push(delta("B", 1, "y"));
    expect(chunks.live("m1", [live("A", "abc", 2), live("B", "xy", 1)], true)).toEqual([
      live("A", "abc", 1),
      live("B", "xy", 1),
    ]);
    expect(sent.slice(2)).toEqual([delta("A", 1, "bc"), delta("B", 1, "y")]);
    tick();
    expect(sent).toHaveLength(4);
    // A's turn is over: its stream is forgotten (a waiting delta of it is sent first).
    chunks.push(delta("A", 3, "d"));
    expect(chunks.live("m1", [live("B", "xy", 1)], true)).toEqual([live("B", "xy", 1)]);
    expect(chunks.size).toBe(1);
  });

  it("leaves deltas after an older snapshot waiting, and cuts a snapshot that ends inside a chunk sent since", () => {
    const { chunks, sent, tick } = coalescer();
    for (const [seq, text] of ["a", "b", "c", "d"].entries()) chunks.push(delta("A", seq, text));
    // A snapshot that includes "abc": "bc" goes as chunk 1, "d" still waits for the end of the turn.
    expect(chunks.live("m1", [live("A", "abc", 2)])).toEqual([live("A", "abc", 1)]);
    expect(sent.slice(1)).toEqual([delta("A", 1, "bc")]);
    tick();
    expect(sent.at(-1)).toEqual(delta("A", 2, "d"));
    for (const [i, text] of ["e", "f", "g"].entries()) chunks.push(delta("A", 4 + i, text));
    tick(); // chunks 3 "e", 4 "fg"
    // Taken before "f" (seq 5), shown after "fg" was sent: it ends at chunk 3, so the client takes "fg" whole.
    expect(chunks.live("m1", [live("A", "abcdef", 5)])).toEqual([live("A", "abcde", 3)]);
  });

  it("counts the text of a snapshot it has no deltas for as chunk 0", () => {
    const { chunks, sent } = coalescer();
    expect(chunks.live("m1", [live("A", "abc", 2)])).toEqual([live("A", "abc", 0)]);
    chunks.push(delta("A", 3, "d"));
    expect(sent).toEqual([delta("A", 1, "d")]);
  });

  it("starts over when the runner produces a turn anew", () => {
    const { chunks, sent, tick } = coalescer();
    chunks.push(delta("A", 0, "old "));
    tick();
    chunks.push(delta("A", 1, "text"));
    tick();
    expect(chunks.live("m1", [live("A", "", -1)], true)).toEqual([live("A", "", -1)]);
    chunks.push(delta("A", 0, "new"));
    expect(sent.at(-1)).toEqual(delta("A", 0, "new"));
  });

  it("keeps a connected client exactly in step, and a joining one after a resync at most, whatever the timing", () => {
    // mulberry32: a small seeded generator, so that a failure can be replayed.
    let state = 42;
    const next = (n: number) => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
    };
    for (let run = 0; run < 200; run++) {
      const events: ({ chunk: TurnDelta } | { view: MatchView })[] = [];
      // The end of the current event-loop turn, when one is due.
      const turn: { end: (() => void) | null } = { end: null };
      const endTurn = () => {
        const end = turn.end;
        turn.end = null;
        end?.();
      };
      const chunks = new DeltaCoalescer(
        (chunk) => events.push({ chunk }),
        (end) => {
          turn.end = end;
        },
      );
      const runner = { A: { text: "", seq: -1 }, B: { text: "", seq: -1 } };
      const snapshot = (): LiveTurn[] => (["A", "B"] as const).map((s) => live(s, runner[s].text, runner[s].seq));
      const viewOf = (turns: LiveTurn[]): MatchView => ({ ...base, live: turns });
      const publish = () => events.push({ view: viewOf(chunks.live("m1", snapshot(), true)) });
      publish();
      // Clients: one connected from the start, and ones that joined later with an ack view (maybe a stale one).
      const clients: { view: MatchView; cursor: number; resyncs: number }[] = [
        { view: (events[0] as { view: MatchView }).view, cursor: 1, resyncs: 0 },
      ];
      const pending: { turns: LiveTurn[]; at: number }[] = [];
      let word = 0;
      for (let step = 0; step < 300; step++) {
        const action = next(20);
        const seat = next(2) === 0 ? "A" : "B";
        if (action < 12) {
          const text = `w${word++} `;
          runner[seat].text += text;
          runner[seat].seq += 1;
          chunks.push({ matchId: "m1", round: 1, speaker: seat, seq: runner[seat].seq, text });
        } else if (action < 16) {
          endTurn();
        } else if (action === 16 && pending.length === 0) {
          // A retried stream starts over. (Not while a join is answered late: an ack older than a reset shows the
          // text before it, whatever the numbering; the client catches up when the turn ends.)
          runner[seat].text = "";
          publish();
        } else if (action === 17) {
          publish();
        } else if (action === 18) {
          pending.push({ turns: snapshot(), at: events.length }); // a join whose ack comes later
        } else {
          const join = pending.shift();
          if (join) {
            const view = viewOf(chunks.live("m1", join.turns));
            clients.push({ view, cursor: events.length, resyncs: 0 });
          }
        }
        for (const client of clients) {
          for (; client.cursor < events.length; client.cursor++) {
            const event = events[client.cursor] as { chunk: TurnDelta } | { view: MatchView };
            if ("view" in event) {
              client.view = event.view;
              continue;
            }
            const applied = applyDelta(client.view, event.chunk);
            if (applied) {
              client.view = applied;
              continue;
            }
            client.resyncs++;
            client.view = viewOf(chunks.live("m1", snapshot()));
            client.cursor = events.length - 1; // the resync's ack comes after everything sent so far
          }
          // Once everything has been sent, the client connected throughout shows exactly the runner's text.
          if (turn.end === null && client === clients[0]) {
            const texts = Object.fromEntries(client.view.live.map((l) => [l.speaker, l.text]));
            expect(texts).toEqual({ A: runner.A.text, B: runner.B.text });
          }
        }
      }
      // One more delta per seat: a client whose ack was older than chunks sent before it sees the gap now.
      for (const seat of ["A", "B"] as const) {
        runner[seat].text += "end";
        runner[seat].seq += 1;
        chunks.push({ matchId: "m1", round: 1, speaker: seat, seq: runner[seat].seq, text: "end" });
      }
      endTurn();
      for (const client of clients) {
        for (; client.cursor < events.length; client.cursor++) {
          const event = events[client.cursor] as { chunk: TurnDelta } | { view: MatchView };
          const applied = "view" in event ? event.view : applyDelta(client.view, event.chunk);
          client.view = applied ?? viewOf(chunks.live("m1", snapshot())); // a gap: resync
        }
        const texts = Object.fromEntries(client.view.live.map((l) => [l.speaker, l.text]));
        expect(texts).toEqual({ A: runner.A.text, B: runner.B.text });
      }
      expect(clients[0]?.resyncs).toBe(0);
      for (const client of clients) expect(client.resyncs).toBeLessThanOrEqual(1);
    }
  });
});
