import { type Protocol, SEATS, type Seat } from "./vocabulary-lists";

/**
 * What each protocol is made of. Debate and interactive debate seat two debaters on opposite options; consultancy
 * seats one consultant (seat A); naive and expert judges get no AI help — the expert may read the story.
 */

/** The seats that speak in a protocol. */
export function seatsOf(protocol: Protocol): Seat[] {
  switch (protocol) {
    case "debate":
    case "interactive":
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

export function hasDebaters(protocol: Protocol): boolean {
  return seatsOf(protocol).length > 0;
}

/** Whether the judge may send a question or comment with a "continue" step, to be answered in the next round. */
export function judgeMayAsk(protocol: Protocol): boolean {
  return protocol === "interactive" || protocol === "consultancy";
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
};
