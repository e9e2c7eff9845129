import type { Protocol } from "../../debate/vocabulary";
import {
  type PromptTemplate,
  type PromptVars,
  type RenderedPrompt,
  readTemplateFile,
  renderTemplate,
} from "./template";

/**
 * Which template files are current, and rendering by name. The builders (./index.ts, ./judge.ts) turn domain
 * inputs into variables; this module only knows names, versions and files.
 */

/**
 * The template version each prompt is rendered with. Changing a prompt means adding `<name>.v2.md` and bumping
 * the version here; released files are never edited, so a recorded version always names the exact wording.
 * (debater.v2 and consultant.v2 added the judge's questions; the judge has one prompt per protocol.)
 */
export const PROMPT_VERSIONS = {
  debater: "v2",
  consultant: "v2",
  judge: "v1",
  "judge-interactive": "v1",
  "judge-consultancy": "v1",
  "judge-naive": "v1",
  "judge-expert": "v1",
  "best-of-n-picker": "v1",
} as const;

export type PromptName = keyof typeof PROMPT_VERSIONS;

/** The judge's prompt for each protocol ("judge" is the plain debate judge, as it always was). */
export const JUDGE_PROMPTS: Record<Protocol, PromptName> = {
  debate: "judge",
  interactive: "judge-interactive",
  consultancy: "judge-consultancy",
  naive: "judge-naive",
  expert: "judge-expert",
  // The runner asks a judge of a recorded debate as a judge of its source's protocol (judgedProtocol).
  recorded: "judge",
};

const templates = new Map<string, PromptTemplate>();

/** The template `<name>.<version>` (the current version by default), read from disk once and cached. */
export function loadPromptTemplate(name: PromptName, version: string = PROMPT_VERSIONS[name]): PromptTemplate {
  const id = `${name}.${version}`;
  let template = templates.get(id);
  if (!template) {
    template = readTemplateFile(name, version);
    templates.set(id, template);
  }
  return template;
}

// Read the current versions at module load, so a missing or malformed template fails at start, not mid-match.
for (const name of Object.keys(PROMPT_VERSIONS) as PromptName[]) loadPromptTemplate(name);

/**
 * Renders a prompt strictly: every placeholder needs a value and every value a placeholder (else a
 * PromptTemplateError). `version` defaults to the current one in {@link PROMPT_VERSIONS}.
 */
export function renderPrompt(name: PromptName, vars: PromptVars, version?: string): RenderedPrompt {
  return renderTemplate(loadPromptTemplate(name, version), vars);
}

/** The text of `options[option]`; a RangeError when the index is not an option. */
export function checkOption(options: readonly string[], option: number): string {
  const text = options[option];
  if (text === undefined || !Number.isInteger(option)) {
    throw new RangeError(`option ${option} is outside 0..${options.length - 1}`);
  }
  return text;
}

/** A RangeError unless `round` is a round of the match. */
export function checkRound(round: number, totalRounds: number): void {
  if (!Number.isInteger(round) || !Number.isInteger(totalRounds) || round < 1 || round > totalRounds) {
    throw new RangeError(`round ${round} is outside 1..${totalRounds}`);
  }
}
