import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { MAX_RECORDED_ROUNDS } from "../debate/config";
import type { Seat } from "../debate/vocabulary";
import { zodErrorMessage } from "../errors";
import type { DebateImportInput } from "./debate-schema";
import { type Detokenized, detokenize, spanText } from "./detokenize";

/**
 * Converts the released NYU 2023 debates (Michael et al. 2023, "Debate Helps Supervise Unreliable Experts";
 * github.com/julianmichael/debate, CC BY 4.0) into Crux's debate import format (docs/debate-import-format.md).
 *
 * A room becomes one debate judged by its live judge (and, with `offlineJudges`, one more per offline judge):
 * - Human or GPT-4 debaters; debate → protocol "interactive" (NYU judges question the debaters between rounds),
 *   consultancy → "consultancy" with the consultant in seat A (whichever NYU side it argued). Conditions keep the
 *   paper's names: human-debate, human-consultancy, ai-debate, ai-consultancy (…-offline for offline judges).
 * - Round k is the k-th round of speeches. The judge's report before any speech is a step at round 0 (the prior);
 *   the report after round k is the step of round k; the one that ends the debate is also the verdict.
 * - Quotes (token spans into the story) become `<quote>…</quote>` around the story's text, which Crux re-checks.
 * - A final judgement of exactly 50/50 is kept as a tie (no option chosen; half correct, as in the paper's analysis).
 * Rooms Crux cannot represent are skipped with a reason: unfinished, no judge, a verdict before any argument, or
 * more than MAX_RECORDED_ROUNDS rounds (imported debates may be longer than a live match).
 */

export const NYU_2023_LICENSE =
  "CC BY 4.0 — NYU debate data (Michael et al. 2023, Debate Helps Supervise Unreliable Experts, " +
  "github.com/julianmichael/debate); stories from QuALITY (Pang et al. 2022, CC BY 4.0) / Project Gutenberg";

/** Model spec recorded for the release's AI debater ("GPT-4" in the room's roles). */
export const NYU_GPT4_SPEC = "openai:gpt-4";

const contentSchema = z.array(
  z.union([
    z.object({ Text: z.object({ text: z.string() }) }),
    z.object({ Quote: z.object({ span: z.tuple([z.number(), z.number()]) }) }),
  ]),
);
const speechSchema = z.object({ speaker: z.string(), timestamp: z.number(), content: contentSchema });
const judgmentSchema = z.object({
  distribution: z.array(z.number()).length(2),
  feedback: speechSchema,
  endDebate: z.boolean(),
});
const speechesSchema = z.object({ speeches: z.record(z.string(), speechSchema) });
const roundSchema = z.union([
  z.object({ JudgeFeedback: judgmentSchema }),
  z.object({ SimultaneousSpeeches: speechesSchema }),
  z.object({ SequentialSpeeches: speechesSchema }),
  z.object({
    OfflineJudgments: z.object({
      judgments: z.record(z.string(), z.object({ mode: z.string(), judgments: z.array(judgmentSchema) })),
    }),
  }),
  z.object({ NegotiateEnd: z.unknown() }),
]);

export const nyuRoomSchema = z.object({
  setup: z.object({
    sourceMaterial: z.object({
      QuALITYSourceMaterial: z.object({ articleId: z.string(), title: z.string(), contents: z.array(z.string()) }),
    }),
    question: z.string(),
    answers: z.tuple([z.string(), z.string()]),
    correctAnswerIndex: z.literal([0, 1]),
    roles: z.record(z.string(), z.string()),
    creationTime: z.number(),
  }),
  rounds: z.array(roundSchema),
});
export type NyuRoom = z.infer<typeof nyuRoomSchema>;

/** The fields of debates-metadata.jsonl the converter reads. */
export const nyuMetadataSchema = z.object({
  name: z.string(),
  setting: z.object({ isHuman: z.boolean(), isDebate: z.boolean() }),
  status: z.record(z.string(), z.unknown()),
  includedInPaper: z.boolean().optional(),
});
export type NyuMetadata = z.infer<typeof nyuMetadataSchema>;

type Judgment = z.infer<typeof judgmentSchema>;
type Content = z.infer<typeof contentSchema>;
type Step = NonNullable<DebateImportInput["judgeSteps"]>[number];
type Turn = NonNullable<DebateImportInput["turns"]>[number];

export interface NyuConvertOptions {
  /** Also convert each offline judge's judgment into a debate of its own (condition `…-offline`). */
  offlineJudges?: boolean;
  /** Stories already rebuilt, by article id (shared across rooms on the same story). */
  stories?: Map<string, Detokenized>;
}

export interface NyuConversion {
  debates: DebateImportInput[];
  skipped: Array<{ id: string; reason: string }>;
}

/** Converts one room (a parsed debates/official/<name>.json) with its metadata line, when known. */
export function convertNyuRoom(
  name: string,
  room: NyuRoom,
  metadata: NyuMetadata | undefined,
  options: NyuConvertOptions = {},
): NyuConversion {
  const out: NyuConversion = { debates: [], skipped: [] };
  const { setup } = room;
  const source = setup.sourceMaterial.QuALITYSourceMaterial;
  const stories = options.stories ?? new Map<string, Detokenized>();
  let story = stories.get(source.articleId);
  if (!story) {
    story = detokenize(source.contents);
    stories.set(source.articleId, story);
  }
  const status = metadata ? (Object.keys(metadata.status)[0] ?? "unknown") : null;
  if (status !== null && status !== "Complete") {
    out.skipped.push({ id: name, reason: `not finished (status ${status})` });
    return out;
  }

  // Debaters: NYU's "Debater A" argues answer 0 and "Debater B" answer 1; a lone consultant takes Crux's seat A.
  const nyuDebaters = [0, 1].filter((i) => setup.roles[`Debater ${i === 0 ? "A" : "B"}`] !== undefined);
  const isDebate = metadata?.setting.isDebate ?? nyuDebaters.length === 2;
  const isHuman = metadata?.setting.isHuman ?? !Object.values(setup.roles).includes("GPT-4");
  const setting = `${isHuman ? "human" : "ai"}-${isDebate ? "debate" : "consultancy"}`;
  const seatOf = (index: number) => (isDebate ? (index === 0 ? "A" : "B") : "A");
  const debaters = nyuDebaters.map((index) => {
    const who = setup.roles[`Debater ${index === 0 ? "A" : "B"}`] ?? "";
    return who === "GPT-4"
      ? { seat: seatOf(index), option: index, model: NYU_GPT4_SPEC }
      : { seat: seatOf(index), option: index, name: who };
  }) as DebateImportInput["debaters"];

  // Speeches, numbered by round of speeches; judge reports and offline judgments collected as they come.
  const turns: Turn[] = [];
  const steps: Array<Step & { judgment: Judgment }> = [];
  const offline = new Map<string, { mode: string; judgments: Judgment[] }>();
  let round = 0;
  let firstSpeaker: Seat | undefined;
  for (const entry of room.rounds) {
    if ("SimultaneousSpeeches" in entry || "SequentialSpeeches" in entry) {
      const speeches = Object.entries(
        "SimultaneousSpeeches" in entry ? entry.SimultaneousSpeeches.speeches : entry.SequentialSpeeches.speeches,
      );
      if (speeches.length === 0) continue;
      round++;
      const ordered = speeches.sort(([, a], [, b]) => a.timestamp - b.timestamp);
      for (const [key, speech] of ordered) {
        const index = Number(key);
        if (!nyuDebaters.includes(index)) {
          out.skipped.push({ id: name, reason: `a speech by debater ${key}, who has no role in the room` });
          return out;
        }
        turns.push({ round, speaker: seatOf(index), text: render(speech.content, story), at: speech.timestamp });
      }
      if ("SequentialSpeeches" in entry && ordered.length === 2 && !firstSpeaker)
        firstSpeaker = seatOf(Number(ordered[0]?.[0]));
    } else if ("JudgeFeedback" in entry) {
      const j = entry.JudgeFeedback;
      const step = { ...toStep(round, j, story), judgment: j };
      // Two reports without a speech between them: the later one stands.
      if (steps.at(-1)?.round === round) steps.pop();
      steps.push(step);
    } else if ("OfflineJudgments" in entry) {
      for (const [judge, result] of Object.entries(entry.OfflineJudgments.judgments)) offline.set(judge, result);
    }
  }
  if (round > MAX_RECORDED_ROUNDS) {
    out.skipped.push({
      id: name,
      reason: `more than ${MAX_RECORDED_ROUNDS} rounds of speeches (Crux keeps at most ${MAX_RECORDED_ROUNDS})`,
    });
    return out;
  }

  const base = {
    question: { text: setup.question, options: setup.answers, gold: setup.correctAnswerIndex },
    passage: { title: source.title, text: story.text },
    protocol: isDebate ? ("interactive" as const) : ("consultancy" as const),
    debaters,
    turns,
    rules: { laterRounds: "sequential" as const, firstSpeaker: firstSpeaker ?? "A" },
    createdAt: setup.creationTime,
  };
  const meta = { room: name, articleId: source.articleId, storyTitle: source.title, ...resultMeta(metadata) };
  const tags = [setting, ...(metadata?.includedInPaper ? ["in-paper"] : [])];

  const judgeName = setup.roles.Judge;
  if (judgeName === undefined) {
    if (!options.offlineJudges || offline.size === 0) out.skipped.push({ id: name, reason: "no live judge" });
  } else {
    const verdict = verdictOf(steps);
    if (!verdict.ok) out.skipped.push({ id: name, reason: verdict.reason });
    else
      out.debates.push({
        id: name,
        ...base,
        condition: setting,
        judge: judgeOf(judgeName),
        judgeSteps: steps.slice(0, verdict.index + 1).map(({ judgment: _, ...step }) => step),
        verdict: verdict.verdict,
        tags: [...tags, "live-judge"],
        meta,
      });
  }
  if (options.offlineJudges) {
    for (const [judge, result] of offline) {
      const id = `${name}/offline/${judge}`;
      // Stepped judges report after each round (the first report is their prior); timed judges once, at the end.
      const offlineSteps = result.judgments.map((j, i) => toStep(result.mode === "stepped" ? i : round, j, story));
      const pruned = offlineSteps.filter((s, i) => offlineSteps[i + 1]?.round !== s.round);
      const verdict = verdictOf(pruned.map((s) => ({ ...s, judgment: null })));
      if (!verdict.ok) out.skipped.push({ id, reason: verdict.reason });
      else if (verdict.verdict.rounds > round) out.skipped.push({ id, reason: "more judgments than rounds" });
      else
        out.debates.push({
          id,
          ...base,
          condition: `${setting}-offline`,
          judge: judgeOf(judge),
          judgeSteps: pruned.slice(0, verdict.index + 1),
          verdict: verdict.verdict,
          tags: [...tags, "offline-judge", `offline-${result.mode}`],
          meta: { ...meta, offlineMode: result.mode },
        });
    }
  }
  return out;
}

/** A judge by their pseudonym; "GPT-4" (an AI judge in a few offline judgments) by model. */
function judgeOf(name: string): DebateImportInput["judge"] {
  return name === "GPT-4" ? { id: name, kind: "ai", model: NYU_GPT4_SPEC } : { id: name, kind: "human" };
}

function toStep(round: number, j: Judgment, story: Detokenized): Step {
  const [a = 0, b = 0] = j.distribution;
  // Kept exactly as reported when they sum to 1 (up to float error); otherwise rescaled.
  const exact = Math.abs(a + b - 1) <= 1e-9;
  const p0 = exact ? a : a + b > 0 ? a / (a + b) : 0.5;
  const p1 = exact ? b : 1 - p0;
  const message = render(j.feedback.content, story).trim();
  return {
    round,
    probabilities: [p0, p1],
    action: j.endDebate ? "end" : "continue",
    ...(message ? { message } : {}),
    at: j.feedback.timestamp,
  };
}

/** The verdict: the step that ended the debate (its probabilities, message and time). */
function verdictOf(
  steps: Array<Step & { judgment: Judgment | null }>,
):
  | { ok: false; reason: string }
  | { ok: true; index: number; verdict: NonNullable<DebateImportInput["verdict"]> & { rounds: number } } {
  const index = steps.findIndex((s) => s.action === "end");
  const step = steps[index];
  if (!step) return { ok: false, reason: "no final judgement" };
  if (step.round < 1) return { ok: false, reason: "the judge decided before any argument" };
  // A 50/50 final judgement stays a tie: no `chosen`, so Crux stores it with no option chosen.
  const [p0, p1] = step.probabilities as [number, number];
  return {
    ok: true,
    index,
    verdict: {
      probabilities: [p0, p1] as [number, number],
      rounds: step.round,
      explanation: step.message,
      at: step.at,
    },
  };
}

/** A speech or judge message as text, quotes (token spans into the story) as `<quote>…</quote>`. */
function render(content: Content, story: Detokenized): string {
  return content
    .map((part) => {
      if ("Text" in part) return part.Text.text;
      const quoted = spanText(story, part.Quote.span[0], part.Quote.span[1]);
      return quoted === null ? "" : `<quote>${quoted}</quote>`;
    })
    .join("");
}

function resultMeta(metadata: NyuMetadata | undefined): Record<string, unknown> {
  if (!metadata) return {};
  const complete = z
    .object({
      result: z.object({
        endedBy: z.record(z.string(), z.unknown()),
        judgingInfo: z.object({ numContinues: z.number(), judgeReward: z.number() }).nullable(),
      }),
    })
    .safeParse(metadata.status.Complete);
  if (!complete.success) return { includedInPaper: metadata.includedInPaper ?? null };
  const { endedBy, judgingInfo } = complete.data.result;
  return {
    includedInPaper: metadata.includedInPaper ?? null,
    endedBy: Object.keys(endedBy)[0] ?? null,
    numContinues: judgingInfo?.numContinues ?? null,
    judgeReward: judgingInfo?.judgeReward ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the release

/** Room files under `input`: a release directory (debates/official/*.json), a directory of rooms, or one room. */
export function findNyuRoomFiles(input: string): string[] {
  if (!fs.existsSync(input)) throw new Error(`${input} does not exist`);
  const stat = fs.statSync(input);
  if (stat.isFile()) return [input];
  for (const dir of [path.join(input, "debates", "official"), path.join(input, "official"), input]) {
    if (!fs.existsSync(dir)) continue;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json") && !/^(profiles|open-feedback)\.json$/.test(f));
    if (files.length > 0) return files.sort().map((f) => path.join(dir, f));
  }
  return [];
}

/** debates-metadata.jsonl in `input` or up to three directories above it, by room name (empty when absent). */
export function readNyuMetadata(input: string): Map<string, NyuMetadata> {
  let dir = fs.statSync(input).isFile() ? path.dirname(input) : input;
  for (let up = 0; up <= 3; up++) {
    const file = path.join(dir, "debates-metadata.jsonl");
    if (fs.existsSync(file)) {
      const map = new Map<string, NyuMetadata>();
      for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        if (!line.trim()) continue;
        const parsed = nyuMetadataSchema.safeParse(JSON.parse(line));
        if (parsed.success) map.set(parsed.data.name, parsed.data);
      }
      return map;
    }
    dir = path.dirname(dir);
  }
  return new Map();
}

/** Converts every room found under `input` (see {@link findNyuRoomFiles}), in file-name order. */
export function convertNyuRelease(input: string, options: NyuConvertOptions = {}): NyuConversion & { rooms: number } {
  const files = findNyuRoomFiles(input);
  const metadata = readNyuMetadata(input);
  const stories = options.stories ?? new Map<string, Detokenized>();
  const result: NyuConversion & { rooms: number } = { debates: [], skipped: [], rooms: files.length };
  for (const file of files) {
    const name = path.basename(file, ".json");
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      result.skipped.push({
        id: name,
        reason: `unreadable JSON: ${error instanceof Error ? error.message : String(error)}`,
      });
      continue;
    }
    const room = nyuRoomSchema.safeParse(json);
    if (!room.success) {
      result.skipped.push({
        id: name,
        reason: `not an NYU debate room (${zodErrorMessage(room.error, { first: true, root: "file" })})`,
      });
      continue;
    }
    const converted = convertNyuRoom(name, room.data, metadata.get(name), { ...options, stories });
    result.debates.push(...converted.debates);
    result.skipped.push(...converted.skipped);
  }
  return result;
}
