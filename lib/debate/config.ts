import { z } from "zod";
import { hasDebaters } from "./protocols";
import {
  OPTION_COUNT,
  optionIndexSchema,
  protocolSchema,
  recordedModeSchema,
  recordedSourceProtocolSchema,
  roundOrderSchema,
  scoringRuleSchema,
  seatSchema,
} from "./vocabulary";

/**
 * A match's configuration. Parsed once when the match is created and stored with it, so a match always replays
 * under the rules it started with. Unknown keys are rejected so a misspelt option fails loudly instead of
 * silently falling back to a default.
 */

export const scoringConfigSchema = z.strictObject({
  /** The proper scoring rule the judge is scored (and paid) by: log, quadratic or spherical (see ./scoring.ts). */
  rule: scoringRuleSchema.default("log"),
  /** Subtracted from the score for every round after the first, to reward ending early when confident. */
  roundCost: z.number().min(0).max(1).default(0),
});

/** Settings passed to language-model debaters and judges (the offline models ignore them). */
export const samplingConfigSchema = z.strictObject({
  temperature: z.number().min(0).max(2).default(0.7),
  maxOutputTokens: z.int().min(16).max(32_000).default(1024),
  /** Best-of-N debater sampling: N drafts per turn, the most persuasive picked by `pickerModel` (Khan et al. 2024). */
  bestOf: z.int().min(1).max(16).default(1),
  /** Model spec that picks among drafts; defaults to the debater's own model. */
  pickerModel: z.string().min(3).optional(),
});

/**
 * A recorded debate's settings (protocol `recorded`): how it is shown and what its source was. The source match is
 * the match's `sourceMatchId`; its turns come through the debaters' `recorded:<source>:<seat>` specs.
 */
export const recordedConfigSchema = z.strictObject({
  /** `stepped`: the judge reports after every round and may stop early; `timed`: all rounds, then one verdict. */
  mode: recordedModeSchema.default("stepped"),
  /** The source's protocol: who speaks (two debaters or one consultant). */
  sourceProtocol: recordedSourceProtocolSchema,
});
export type RecordedConfig = z.output<typeof recordedConfigSchema>;

/** The most rounds a live match may have (a judge waits for every one). */
export const MAX_LIVE_ROUNDS = 10;
/**
 * The most rounds a recorded debate may have (an imported one, and a recorded-protocol match replaying it: the source
 * bounds it): the NYU 2023 release's longest has 25.
 */
export const MAX_RECORDED_ROUNDS = 50;

const matchConfigShape = (maxRounds: number) =>
  z
    .strictObject({
      protocol: protocolSchema.default("debate"),
      /** Maximum number of rounds; the judge may end earlier. */
      rounds: z.int().min(1).max(maxRounds).default(3),
      /** Maximum words per turn, quoted words included. */
      wordLimit: z.int().min(20).max(1000).default(150),
      /** Opening statements are always given blind of each other. */
      firstRound: z.literal("simultaneous").default("simultaneous"),
      laterRounds: roundOrderSchema.default("sequential"),
      /** Seat that speaks first in sequential rounds, every round (seats are assigned to options at random). */
      firstSpeaker: seatSchema.default("A"),
      /** Drives every random choice of the match (seat assignment, offline models), so matches are reproducible. */
      seed: z.int(),
      scoring: scoringConfigSchema.prefault({}),
      sampling: samplingConfigSchema.prefault({}),
      /**
       * The options in the order the judge sees them (a permutation of option indexes), drawn at random per match so
       * a side effect of screen position cannot masquerade as a protocol effect. Probabilities stay in option order.
       */
      optionOrder: z
        .array(optionIndexSchema)
        .length(OPTION_COUNT, { error: "optionOrder must list both options (a question has exactly two)" })
        .default([0, 1]),
      /** Time the judge has for each step, server-enforced; null means no limit (the default for play). */
      judgeTimeLimitMs: z.int().min(1_000).max(3_600_000).nullable().default(null),
      /**
       * When the judge's time runs out, submit the probabilities their slider last showed (sent as drafts) instead
       * of carrying the previous step's forward; so a judge who moved the slider but did not press a button keeps it.
       */
      submitDraftOnTimeout: z.boolean().default(true),
      /**
       * Free play's "Quick play": the format (and the question) were drawn for the player, who learns afterwards
       * which format it was. Absent for every other match.
       */
      quickPlay: z.literal(true).optional(),
      /** Free play's tutorial game (a short debate with explanations on the page): not a real test of the player. */
      tutorial: z.literal(true).optional(),
      /** Protocol `recorded` only (and required there): how the recorded debate is shown, and its source's protocol. */
      recorded: recordedConfigSchema.optional(),
    })
    .refine((c) => (c.protocol === "recorded") === (c.recorded !== undefined), {
      message: "recorded settings are required for the recorded protocol, and only there",
      path: ["recorded"],
    })
    .refine((c) => c.optionOrder[0] !== c.optionOrder[1], {
      message: "optionOrder must list options 0 and 1 once each",
      path: ["optionOrder"],
    })
    // Without debaters there is nothing to wait for between rounds: those protocols have one judgement.
    .transform((c) => (hasDebaters(c.protocol) ? c : { ...c, rounds: 1 }));

/** A live match's configuration, parsed when it is created: at most {@link MAX_LIVE_ROUNDS} rounds. */
export const matchConfigSchema = matchConfigShape(MAX_LIVE_ROUNDS);

/**
 * A stored match's configuration: as a live one, but an imported debate may have up to
 * {@link MAX_RECORDED_ROUNDS} rounds. For reading stored matches and writing imported ones and recorded-protocol
 * matches (whose rounds are their source's), never for new live ones.
 */
export const storedMatchConfigSchema = matchConfigShape(MAX_RECORDED_ROUNDS);

/** A parsed, complete match configuration. */
export type MatchConfig = z.output<typeof matchConfigSchema>;
/** What callers may pass in: everything but `seed` is optional. */
export type MatchConfigInput = z.input<typeof matchConfigSchema>;

/** The default configuration with the given seed. */
export function defaultMatchConfig(seed: number): MatchConfig {
  return matchConfigSchema.parse({ seed });
}
