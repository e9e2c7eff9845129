import { type Protocol, type RecordedSourceProtocol, SEATS, type Seat } from "./vocabulary-lists";

/**
 * What each protocol is made of. Debate and interactive debate seat two debaters on opposite options; consultancy
 * seats one consultant (seat A); naive and expert judges get no AI help — the expert may read the story. A recorded
 * debate replays a stored match's turns (the source's seats, options and rounds) to a new judge.
 */

/**
 * The seats that speak in a protocol. A recorded debate's seats are its source's (see {@link speakingSeats}); here
 * it counts as having both, the most it can have.
 */
export function seatsOf(protocol: Protocol): Seat[] {
  switch (protocol) {
    case "debate":
    case "interactive":
    case "recorded":
      return [...SEATS];
    case "consultancy":
      return ["A"];
    case "naive":
    case "expert":
      return [];
    default: {
      // A new protocol must say who speaks: this stops compiling until it does.
      const unhandled: never = protocol;
      throw new RangeError(`unknown protocol ${String(unhandled)}`);
    }
  }
}

/** The seats that speak in a match: the protocol's, or for a recorded debate its source protocol's. */
export function speakingSeats(config: {
  protocol?: Protocol;
  recorded?: { sourceProtocol: RecordedSourceProtocol } | undefined;
}): Seat[] {
  const protocol = config.protocol ?? "debate";
  return protocol === "recorded" && config.recorded ? seatsOf(config.recorded.sourceProtocol) : seatsOf(protocol);
}

export function hasDebaters(protocol: Protocol): boolean {
  return seatsOf(protocol).length > 0;
}

/**
 * Whether the judge may send a question or comment with a "continue" step, to be answered in the next round. Not in
 * a recorded debate: its turns were written already, and cannot answer a new judge.
 */
export function judgeMayAsk(protocol: Protocol): boolean {
  return protocol === "interactive" || protocol === "consultancy";
}

/**
 * The protocol a judge model is asked as: a recorded debate's source protocol — but never one that takes questions
 * (a recorded consultancy is judged as a consultancy, a recorded interactive debate as a debate).
 */
export function judgedProtocol(config: {
  protocol: Protocol;
  recorded?: { sourceProtocol: RecordedSourceProtocol } | undefined;
}): Protocol {
  if (config.protocol !== "recorded" || !config.recorded) return config.protocol;
  return config.recorded.sourceProtocol === "consultancy" ? "consultancy" : "debate";
}

/** Whether the judge may read the story before the verdict (the expert ceiling only). */
export function judgeSeesPassage(protocol: Protocol): boolean {
  return protocol === "expert";
}

/** Plain-language names for the UI and the CLI. */
export const PROTOCOL_LABELS: Record<Protocol, string> = {
  debate: "Debate",
  interactive: "Interactive debate",
  consultancy: "Consultancy",
  naive: "No help (naive judge)",
  expert: "Expert judge (reads the story)",
  recorded: "Recorded debate",
};
