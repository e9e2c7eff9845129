import { z } from "zod";
import {
  JUDGE_ACTIONS,
  JUDGE_CHOICES,
  JUDGE_KINDS,
  LIVE_PROTOCOLS,
  MATCH_STATUSES,
  OPTION_INDEXES,
  PROTOCOLS,
  RECORDED_MODES,
  RECORDED_SOURCE_PROTOCOLS,
  ROUND_ORDERS,
  SCORING_RULES,
  SEATS,
} from "./vocabulary-lists";

/**
 * The zod schemas of the debate's vocabularies (./vocabulary-lists.ts), one per list, for everything that parses
 * input: socket payloads, HTTP bodies, import files, forms, filters. The lists, types and derived sets are re-exported
 * here so that server code has one module to import; browser code imports ./vocabulary-lists.ts directly.
 */

export * from "./vocabulary-lists";

export const protocolSchema = z.enum(PROTOCOLS);
export const liveProtocolSchema = z.enum(LIVE_PROTOCOLS);
export const recordedSourceProtocolSchema = z.enum(RECORDED_SOURCE_PROTOCOLS);
export const recordedModeSchema = z.enum(RECORDED_MODES);
export const seatSchema = z.enum(SEATS);
export const optionIndexSchema = z.literal(OPTION_INDEXES);
export const roundOrderSchema = z.enum(ROUND_ORDERS);
export const judgeActionSchema = z.enum(JUDGE_ACTIONS);
export const judgeChoiceSchema = z.enum(JUDGE_CHOICES);
export const judgeKindSchema = z.enum(JUDGE_KINDS);
export const scoringRuleSchema = z.enum(SCORING_RULES);
export const matchStatusSchema = z.enum(MATCH_STATUSES);
