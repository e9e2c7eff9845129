import type { LiveTurn, MatchView } from "../debate/view";
import type { TurnDelta } from "./protocol";

/**
 * Applies a streamed chunk to a view's live turns (browser side). Returns the same view when the chunk is
 * already included (a fresh view can overtake its chunks), a new view when it extends a live turn, and null when
 * a chunk is missing — the caller then resyncs by joining again, so text is never lost or doubled.
 */
export function applyDelta(view: MatchView, delta: TurnDelta): MatchView | null {
  if (view.turns.some((t) => t.round === delta.round && t.speaker === delta.speaker)) return view;
  const index = view.live.findIndex((l) => l.round === delta.round && l.speaker === delta.speaker);
  const current: LiveTurn = view.live[index] ?? { round: delta.round, speaker: delta.speaker, text: "", seq: -1 };
  if (delta.seq <= current.seq) return view;
  if (delta.seq !== current.seq + 1) return null;
  const next = { ...current, text: current.text + delta.text, seq: delta.seq };
  const live = index >= 0 ? view.live.map((l, i) => (i === index ? next : l)) : [...view.live, next];
  return { ...view, live };
}

/**
 * Server side of the same contract: sends a match runner's chunks to clients, several at a time when they come
 * in bursts, while every chunk a client sees still has the next `seq`.
 *
 * A model's deltas usually arrive one per event-loop turn; each becomes a chunk at once. When the server has
 * fallen behind (a GC pause, a busy machine), one read of the provider's response yields a burst of deltas in the
 * same turn: the first is still sent at once, and the rest are joined and sent as one chunk when the turn ends
 * (`schedule`, setImmediate by default). That is one socket write and one client event instead of one per delta,
 * so a server that has fallen behind catches up sooner.
 *
 * The runner numbers its deltas (`seq` per turn, one per delta) and its snapshots say which delta their live text
 * ends with. Chunks are numbered by what is sent instead, so a snapshot's live turns must be renumbered before
 * they are shown (`live`): the deltas the snapshot includes that are still waiting are sent first (as one chunk),
 * so that the snapshot ends exactly at a chunk and the client goes on from the next one.
 */
export class DeltaCoalescer {
  private readonly streams = new Map<string, Stream>();
  /** Streams that sent a chunk in this event-loop turn: their further deltas wait for its end. */
  private readonly busy = new Set<Stream>();
  private readonly waiting = new Set<Stream>();
  private scheduled = false;

  constructor(
    private readonly send: (delta: TurnDelta) => void,
    private readonly schedule: (flush: () => void) => void = (flush) => setImmediate(flush),
  ) {}

  /** A delta from the runner (`seq` in the runner's numbering). */
  push(delta: TurnDelta): void {
    const key = streamKey(delta.matchId, delta.round, delta.speaker);
    let stream = this.streams.get(key);
    if (stream && delta.seq <= stream.lastDelta) {
      // The runner numbers a turn from 0 again: the turn is being produced anew (a resumed or restarted match).
      this.drop(stream);
      stream = undefined;
    }
    if (!stream) {
      stream = newStream(delta, key);
      this.streams.set(key, stream);
    }
    const waits = this.busy.has(stream) || stream.lastDelta > lastSent(stream);
    stream.lastDelta = delta.seq;
    stream.chars.push((stream.chars.at(-1) ?? 0) + delta.text.length);
    if (waits) {
      stream.pending += delta.text;
      this.waiting.add(stream);
    } else {
      this.sendChunk(stream, delta.seq, delta.text);
      this.busy.add(stream);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /** Sends every waiting delta now (the end of an event-loop turn). */
  flush(): void {
    this.scheduled = false;
    for (const stream of this.waiting) this.sendUpTo(stream, stream.lastDelta);
    this.waiting.clear();
    this.busy.clear();
  }

  /**
   * A snapshot's live turns, renumbered to the chunks sent. Sends first, as one chunk, the waiting deltas that the
   * snapshot includes. With `current` (the snapshot is the runner's latest, as in a change broadcast), every
   * waiting delta of the match is sent and the streams of turns no longer live are forgotten.
   */
  live(matchId: string, live: LiveTurn[], current = false): LiveTurn[] {
    const renumbered = live.map((turn) => this.renumber(matchId, turn));
    if (current) {
      const keys = new Set(live.map((turn) => streamKey(matchId, turn.round, turn.speaker)));
      for (const stream of this.streams.values()) {
        if (stream.matchId !== matchId) continue;
        if (keys.has(stream.key)) this.sendUpTo(stream, stream.lastDelta);
        else this.drop(stream);
      }
    }
    return renumbered;
  }

  /** Streams held (for tests: finished turns must not be kept). */
  get size(): number {
    return this.streams.size;
  }

  private renumber(matchId: string, turn: LiveTurn): LiveTurn {
    const key = streamKey(matchId, turn.round, turn.speaker);
    const stream = this.streams.get(key);
    // Nothing streamed yet. (A stream still held is from an earlier production of this turn, or the snapshot is
    // older than it; either way the next delta tells: `push` starts over when the runner's numbering does.)
    if (turn.seq < 0) return turn;
    if (!stream) {
      // Deltas this coalescer never saw (none can be missing today): the snapshot's text counts as chunk 0.
      const fresh = newStream({ matchId, round: turn.round, speaker: turn.speaker, seq: turn.seq + 1 }, key);
      fresh.ends.push(turn.seq);
      this.streams.set(key, fresh);
      return { ...turn, seq: 0 };
    }
    const upTo = Math.min(turn.seq, stream.lastDelta);
    this.sendUpTo(stream, upTo);
    // The chunk that ends with this delta; only a snapshot older than a chunk sent since can end inside one.
    const chunk = firstAtLeast(stream.ends, upTo);
    if (stream.ends[chunk] === upTo) return { ...turn, seq: chunk };
    // Inside chunk `chunk`: show the text up to the chunk before, and let the client take that chunk whole.
    const cut = stream.charsAt(upTo) - stream.charsAt(stream.ends[chunk - 1] ?? stream.firstDelta - 1);
    return { ...turn, text: turn.text.slice(0, Math.max(0, turn.text.length - cut)), seq: chunk - 1 };
  }

  /** Sends the waiting deltas up to the runner's `seq` (included) as one chunk. */
  private sendUpTo(stream: Stream, seq: number): void {
    const last = lastSent(stream);
    if (seq <= last) return;
    const length = stream.charsAt(seq) - stream.charsAt(last);
    const text = stream.pending.slice(0, length);
    stream.pending = stream.pending.slice(length);
    this.sendChunk(stream, seq, text);
  }

  private sendChunk(stream: Stream, lastDelta: number, text: string): void {
    const seq = stream.ends.length;
    stream.ends.push(lastDelta);
    this.send({ matchId: stream.matchId, round: stream.round, speaker: stream.speaker, seq, text });
  }

  private drop(stream: Stream): void {
    this.sendUpTo(stream, stream.lastDelta);
    this.streams.delete(stream.key);
    this.waiting.delete(stream);
    this.busy.delete(stream);
  }
}

/** One live turn as the coalescer tracks it. */
interface Stream {
  key: string;
  matchId: string;
  round: number;
  speaker: TurnDelta["speaker"];
  /** The runner's seq of the first delta seen (0 unless deltas were missed). */
  firstDelta: number;
  /** The runner's seq of the last delta seen. */
  lastDelta: number;
  /** `chars[i]`: characters in the deltas from `firstDelta` to `firstDelta + i`. */
  chars: number[];
  charsAt(seq: number): number;
  /** `ends[n]`: the runner's seq of the last delta in chunk n (chunks sent so far: `ends.length`). */
  ends: number[];
  /** Text of the deltas after the last chunk sent. */
  pending: string;
}

/** The runner's seq of the last delta sent in a chunk. */
function lastSent(stream: Stream): number {
  return stream.ends.at(-1) ?? stream.firstDelta - 1;
}

function newStream(first: Omit<TurnDelta, "text">, key: string): Stream {
  const stream: Stream = {
    key,
    matchId: first.matchId,
    round: first.round,
    speaker: first.speaker,
    firstDelta: first.seq,
    lastDelta: first.seq - 1,
    chars: [],
    charsAt: (seq) => (seq < stream.firstDelta ? 0 : (stream.chars[seq - stream.firstDelta] ?? 0)),
    ends: [],
    pending: "",
  };
  return stream;
}

function streamKey(matchId: string, round: number, speaker: string): string {
  return `${matchId}\u0000${round}\u0000${speaker}`;
}

/** Index of the first element ≥ `value` in an ascending array (its length when there is none). */
function firstAtLeast(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? Number.POSITIVE_INFINITY) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
