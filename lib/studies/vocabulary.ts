import { z } from "zod";

/**
 * The studies' vocabularies, each defined once: a const list, its zod schema and the type inferred from it, with
 * the sets derived from it next to it. These are the values stored in the string columns of Study, Slot,
 * Participant and StudyRun (prisma/schema.prisma points here). A plain module with no database import, so pages,
 * forms and the analysis can use it as well as the data modules beside it.
 */

// ---------------------------------------------------------------------------------------------------------------
// Study.status

/**
 * A study's life: a `draft` design, `live` once launched (participants may join), `paused` or `closed` by its
 * researchers; `imported` is a dataset of external debates loaded with `crux import debates` (analysed and
 * reviewed like a study, never launched).
 */
export const STUDY_STATUSES = ["draft", "live", "paused", "closed", "imported"] as const;
export const studyStatusSchema = z.enum(STUDY_STATUSES);
export type StudyStatus = z.infer<typeof studyStatusSchema>;

/** The statuses a researcher may switch a launched study to (launching makes it live; drafts and imports stay). */
export const SETTABLE_STUDY_STATUSES = ["live", "paused", "closed"] as const satisfies readonly StudyStatus[];
export const settableStudyStatusSchema = z.enum(SETTABLE_STUDY_STATUSES, "Choose live, paused or closed.");
export type SettableStudyStatus = z.infer<typeof settableStudyStatusSchema>;

/**
 * The statuses of a launched study (one that has or had participants): its questions are kept out of free play, so
 * that a participant cannot look an answer up by playing the same question (or story) as a guest. Drafts have no
 * questions yet; imported datasets are recorded debates, free to replay.
 */
export const LAUNCHED_STUDY_STATUSES = ["live", "paused", "closed"] as const satisfies readonly StudyStatus[];

// ---------------------------------------------------------------------------------------------------------------
// Slot.status

/** An assignment slot: `open` → `assigned` (to a participant, with a match) → `done`; an abandoned one reopens. */
export const SLOT_STATUSES = ["open", "assigned", "done"] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

// ---------------------------------------------------------------------------------------------------------------
// Participant.stage and Participant.status

/** The participant's path through a study, in order (lib/studies/participants.ts moves them along it). */
export const PARTICIPANT_STAGES = [
  "consent",
  "instructions",
  "check",
  "practice",
  "qualification",
  "matches",
  "survey",
  "done",
] as const;
export const participantStageSchema = z.enum(PARTICIPANT_STAGES);
export type ParticipantStage = z.infer<typeof participantStageSchema>;

/**
 * The steps a participant's page submits (the intents of lib/studies/participants.ts): each completes the stage of
 * the same name, and `next` asks for the next match.
 */
export const PARTICIPANT_STEPS = [
  "consent",
  "instructions",
  "check",
  "practice",
  "qualification",
  "next",
  "survey",
] as const;
export type ParticipantStep = (typeof PARTICIPANT_STEPS)[number];

/**
 * How a participant's part in a study stands: still `active`, `completed`, sent off after failing the
 * comprehension check (`failed_check`) or the qualification matches (`screened_out`), `removed` by a researcher,
 * or turned away before judging anything because no slot was left for them (`full`).
 */
export const PARTICIPANT_STATUSES = ["active", "completed", "failed_check", "screened_out", "removed", "full"] as const;
export const participantStatusSchema = z.enum(PARTICIPANT_STATUSES);
export type ParticipantStatus = z.infer<typeof participantStatusSchema>;

/** Participants whose judgments the results leave out (their matches count as excluded, not as data). */
export const EXCLUDED_PARTICIPANT_STATUSES = [
  "failed_check",
  "screened_out",
  "removed",
] as const satisfies readonly ParticipantStatus[];

// ---------------------------------------------------------------------------------------------------------------
// StudyRun.status

/** An automated run: `running` (or resumable when its heartbeat is stale), `stopped` before the end, `complete`. */
export const STUDY_RUN_STATUSES = ["running", "stopped", "complete"] as const;
export const studyRunStatusSchema = z.enum(STUDY_RUN_STATUSES);
export type StudyRunStatus = z.infer<typeof studyRunStatusSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Pay (lib/studies/bonus.ts)

/** Currencies a study's pay may be stated in: those Prolific pays in, and the euro. */
export const CURRENCIES = ["GBP", "USD", "EUR"] as const;
// Qualification (judge screening)

/**
 * How a qualification block is passed: by the share of its matches answered correctly (`accuracy`, a threshold
 * from 0 to 1) or by the judge's mean score over them (`meanScore`, on the scale of the condition's scoring rule).
 */
export const QUALIFICATION_RULES = ["accuracy", "meanScore"] as const;
export const qualificationRuleSchema = z.enum(QUALIFICATION_RULES);
export type QualificationRule = z.infer<typeof qualificationRuleSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Correction.targetKind and Correction.kind

/**
 * What a correction applies to: one `verdict`, a whole `match` (its verdict, whenever it comes), or a
 * `participant` (every verdict they gave in the study).
 */
export const CORRECTION_TARGET_KINDS = ["verdict", "match", "participant"] as const;
export const correctionTargetKindSchema = z.enum(CORRECTION_TARGET_KINDS, "Choose a verdict, match or participant.");
export type CorrectionTargetKind = z.infer<typeof correctionTargetKindSchema>;

/** A correction `exclude`s its target from the analysis or `restore`s one excluded earlier. */
export const CORRECTION_KINDS = ["exclude", "restore"] as const;
export const correctionKindSchema = z.enum(CORRECTION_KINDS, "Choose exclude or restore.");
export type CorrectionKind = z.infer<typeof correctionKindSchema>;

/** A correction's reason, required: what went wrong, in the researcher's words. */
export const correctionReasonSchema = z
  .string()
  .trim()
  .min(3, "Give a reason of at least 3 characters.")
  .max(500, "Keep the reason under 500 characters.");
