/**
 * Offline models: they need no network and no language model, and say so in their `info`. They are the default
 * opponents and judge, and what tests and CI run against.
 */

export { indexPassage, type PassageIndex, rankSentences, type Sentence, splitSentences, tokenize } from "./bm25";
export { CONSULTANT_CAP, consultantProbability } from "./consultancy";
export {
  createExtractiveDebater,
  EXTRACTIVE_DEBATER_SPEC,
  EXTRACTIVE_PROMPT_VERSION,
  type ExtractiveDebaterOptions,
} from "./extractive-debater";
export {
  createHeuristicJudge,
  HEURISTIC_JUDGE_SPEC,
  HEURISTIC_PROMPT_VERSION,
  type SideTally,
  scoresToProbabilities,
  tallyEvidence,
} from "./heuristic-judge";
