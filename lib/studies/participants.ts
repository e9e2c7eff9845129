import { z } from "zod";
import { createSessionFor } from "../auth/guest";
import { isAccount, type SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { asJson } from "../db/json";
import { CruxError } from "../errors";
import { assignNext, countsAsDone, createConditionMatch, type EndMatch } from "./assignment";
import type { PayConfig } from "./bonus";
import { participantInstructions, qualificationRequirement, type StudyConfig, type SurveyQuestion } from "./config";
import { participantScores } from "./payments";
import { balanceFor } from "./plan";
import { isQualificationKey, passesQualification, qualificationState, startQualificationMatch } from "./qualification";
import { getStudyVersion } from "./repository";
import {
  type ParticipantStatus,
  type ParticipantStep,
  participantStageSchema,
  participantStatusSchema,
  type ParticipantStage as Stage,
} from "./vocabulary";

/**
 * The participant's path through a study, as a server-side state machine: link → consent → instructions
 * (→ comprehension check → practice) → matches, one at a time → survey → completion code. The browser only sends
 * intents (`participantIntentSchema`); this module decides what comes next, so reloading, a second tab or coming
 * back later with the same link always lands on the right step.
 */

/** Ids a recruiting platform appends to the study link (Prolific's names; other platforms can use the same). */
export const externalIdsSchema = z.object({
  PROLIFIC_PID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "PROLIFIC_PID: 1–64 letters, digits, '_' or '-'")
    .optional(),
  STUDY_ID: z.string().trim().max(128).optional(),
  SESSION_ID: z.string().trim().max(128).optional(),
});
export type ExternalIds = z.infer<typeof externalIdsSchema>;

const answerSchema = z.union([z.string().max(4000), z.number()]);
export const participantIntentSchema = z.discriminatedUnion("step", [
  z.object({ step: z.literal("consent"), agree: z.literal(true, "Tick the box to agree before you continue.") }),
  z.object({ step: z.literal("instructions") }),
  z.object({ step: z.literal("check"), answers: z.array(z.int().min(0)).max(20) }),
  z.object({ step: z.literal("practice") }),
  z.object({ step: z.literal("qualification") }),
  z.object({ step: z.literal("next") }),
  z.object({ step: z.literal("survey"), answers: z.record(z.string().max(40), answerSchema) }),
]);
export type ParticipantIntent = z.infer<typeof participantIntentSchema>;

export interface JoinResult {
  participantId: string;
  userId: string;
  /** A new cookie session to set (absent when the visitor already had one for this participant). */
  session?: { token: string; expires: Date };
}

/** The refusal a second browser gets for a Prolific id that another browser holds. */
export const PARTICIPANT_ID_IN_USE =
  "This participant id is already in use in another browser. Return to Prolific and open the study again from " +
  "the browser you started it in (the link Prolific gives you resumes where you left off), or contact the researchers.";

/**
 * Arrival by link. The browser holding a participant's session resumes that participant; a PROLIFIC_PID already
 * taken resumes only with the SESSION_ID Prolific gave that attempt (the same person's full link in another
 * browser), and is otherwise refused (`PARTICIPANT_ID_IN_USE`): the id alone is no secret, and would hand anyone
 * the participant's progress, verdicts and completion code. Anyone else becomes a new participant of the study's
 * current version, with the next arrival ordinal (which picks their row of the condition Latin square) — only while
 * the study is live, and only with a PROLIFIC_PID when the study requires one. A study that is not live resumes
 * nobody from another browser either: its link stops being a way in at all, and only sessions already held
 * continue. Signed-in accounts are refused: a researcher trying the link would otherwise judge as themselves; a
 * private window gives them a participant's view.
 */
export async function joinStudy(
  db: Db,
  input: { studyId: string; external: ExternalIds; current: SessionUser | null },
): Promise<JoinResult> {
  const study = await db.study.findUnique({ where: { id: input.studyId } });
  if (!study) throw new CruxError("NOT_FOUND", "This study link is not valid.");
  if (input.current && isAccount(input.current) && input.current.role !== "participant")
    throw new CruxError(
      "CONFLICT",
      "You are signed in with an account. To take part, open the link in a private window or sign out first.",
    );
  if (input.current?.role === "participant") {
    const mine = await db.participant.findUnique({ where: { userId: input.current.id } });
    if (mine?.studyId === study.id) return { participantId: mine.id, userId: mine.userId };
  }
  const notTaking = () =>
    new CruxError("CONFLICT", "This study is not taking participants right now. Please come back later.");
  const live = study.status === "live" && study.currentVersionId ? study.currentVersionId : null;
  const pid = input.external.PROLIFIC_PID;
  if (pid) {
    const returning = await db.participant.findUnique({
      where: { studyId_externalId: { studyId: study.id, externalId: pid } },
    });
    if (returning) return resumeFromAnotherBrowser(db, returning, input.external, live !== null);
  }
  if (!live) throw notTaking();
  const { config } = (await getStudyVersion(db, live)).frozen;
  if (config.requireProlificId && !pid)
    throw new CruxError(
      "FORBIDDEN",
      "This study can only be started from Prolific: open it from the study's page on Prolific, which adds your " +
        "participant id to the link.",
    );
  // The counter hands out arrival ordinals atomically, however many people arrive at once.
  const { arrivals } = await db.studyVersion.update({
    where: { id: live },
    data: { arrivals: { increment: 1 } },
    select: { arrivals: true },
  });
  const user = await db.user.create({ data: { role: "participant", name: pid ? `Prolific ${pid}` : null } });
  try {
    const participant = await db.participant.create({
      data: {
        studyId: study.id,
        versionId: live,
        userId: user.id,
        ordinal: arrivals - 1,
        externalId: pid ?? null,
        externalStudy: input.external.STUDY_ID ?? null,
        externalSession: input.external.SESSION_ID ?? null,
      },
    });
    const session = await createSessionFor(db, user.id);
    return { participantId: participant.id, userId: user.id, session };
  } catch (error) {
    await db.user.delete({ where: { id: user.id } });
    // The same PROLIFIC_PID arrived twice at once: the other request created the participant; the same rule decides.
    const other =
      pid && isUniqueViolation(error)
        ? await db.participant.findUnique({ where: { studyId_externalId: { studyId: study.id, externalId: pid } } })
        : null;
    if (!other) throw error;
    return resumeFromAnotherBrowser(db, other, input.external, true);
  }
}

/**
 * A taken PROLIFIC_PID from a browser without the participant's session: resumed (with a new session) only while
 * the study is live and with the SESSION_ID stored at the participant's first arrival.
 */
async function resumeFromAnotherBrowser(
  db: Db,
  returning: { id: string; userId: string; externalSession: string | null },
  external: ExternalIds,
  live: boolean,
): Promise<JoinResult> {
  if (!live)
    throw new CruxError(
      "CONFLICT",
      "This study is not taking participants right now. If you started it, continue in the browser you started in.",
    );
  const sameAttempt = Boolean(external.SESSION_ID) && external.SESSION_ID === returning.externalSession;
  if (!sameAttempt) throw new CruxError("CONFLICT", PARTICIPANT_ID_IN_USE);
  return {
    participantId: returning.id,
    userId: returning.userId,
    session: await createSessionFor(db, returning.userId),
  };
}

/** What the participant's page shows: never the comprehension check's answers, gold or anything of other judges. */
export interface ParticipantView {
  participantId: string;
  studyId: string;
  studyName: string;
  stage: Stage;
  status: ParticipantStatus;
  /** Matches over (judged, or failed on our side: see `countsAsDone`) of the number asked of each participant. */
  progress: { done: number; total: number };
  consent: string;
  instructions: string;
  check: { questions: Array<{ question: string; options: string[] }>; attemptsLeft: number; failedOnce: boolean };
  practice: { matchId: string | null; complete: boolean };
  /** The qualification block (total 0: none): matches finished, the one on screen, and the pass rule in words. */
  qualification: {
    total: number;
    done: number;
    current: { matchId: string; complete: boolean; errored: boolean } | null;
    requirement: string;
  };
  /** The match of the slot they hold; `errored`: it stopped on our side (it counts in `progress.done`). */
  current: { matchId: string; complete: boolean; errored: boolean } | null;
  survey: SurveyQuestion[];
  /** At the end: the code, and where to send the participant with it (null: show the code). */
  completion: { code: string | null; redirectUrl: string | null } | null;
  /** Their pay rule, and the scores of their judged matches before the current one (for their running bonus). */
  pay: { config: PayConfig; scoresBefore: number[] };
}

/** The participant's view for `user`, or null when the user is not a participant of this study. */
export async function getParticipantView(
  db: Db,
  user: SessionUser | null,
  studyId: string,
): Promise<ParticipantView | null> {
  if (user?.role !== "participant") return null;
  const participant = await db.participant.findUnique({ where: { userId: user.id }, include: { study: true } });
  if (!participant || participant.studyId !== studyId) return null;
  const version = await getStudyVersion(db, participant.versionId);
  const { config } = version.frozen;
  const matches = await db.match.findMany({
    where: { judgeId: user.id, studyId },
    select: { id: true, status: true, practice: true, slotId: true, planKey: true },
    orderBy: { createdAt: "asc" },
  });
  const practiceMatch = matches.find((m) => m.practice && !isQualificationKey(m.planKey)) ?? null;
  const held = await db.slot.findFirst({ where: { participantId: participant.id, status: "assigned" } });
  const currentMatch = held?.matchId ? matches.find((m) => m.id === held.matchId) : undefined;
  const done = matches.filter((m) => !m.practice && countsAsDone(m.status)).length;
  const stage = parseStage(participant.stage);
  const status = participantStatusSchema.parse(participant.status);
  const qualification = await qualificationState(db, version, user.id);
  return {
    participantId: participant.id,
    studyId,
    studyName: participant.study.name,
    stage,
    status,
    progress: { done, total: config.questionsPerJudge },
    consent: config.consent,
    instructions: participantInstructions(config),
    check: {
      questions: config.comprehensionCheck.questions.map(({ question, options }) => ({ question, options })),
      attemptsLeft: Math.max(0, config.comprehensionCheck.attempts - participant.checkAttempts),
      failedOnce: participant.checkAttempts > 0,
    },
    practice: { matchId: practiceMatch?.id ?? null, complete: practiceMatch?.status === "complete" },
    qualification: {
      total: qualification.total,
      done: qualification.done,
      current: qualification.current,
      requirement: qualificationRequirement(config),
    },
    current: currentMatch
      ? {
          matchId: currentMatch.id,
          complete: currentMatch.status === "complete",
          errored: currentMatch.status === "errored",
        }
      : null,
    survey: config.survey,
    completion: stage === "done" ? completionFor(config, participant.completionCode) : null,
    pay: {
      config: config.pay,
      scoresBefore: config.pay.bonus === null ? [] : await participantScores(db, studyId, user.id, currentMatch?.id),
    },
  };
}

function parseStage(value: string): Stage {
  return participantStageSchema.catch("consent").parse(value);
}

/** The code and redirect for a finished participant. "full" gets no code: they should return the study. */
export function completionFor(config: StudyConfig, code: string | null) {
  if (!code) return { code: null, redirectUrl: null };
  const url = config.completion.redirectUrl;
  if (!url) return { code, redirectUrl: null };
  if (url.includes("{code}")) return { code, redirectUrl: url.replaceAll("{code}", encodeURIComponent(code)) };
  const target = new URL(url);
  target.searchParams.set("cc", code);
  return { code, redirectUrl: target.toString() };
}

/**
 * Applies one intent of the participant and moves them on. Intents for another stage than the current one are
 * refused with CONFLICT (a stale tab), never applied out of order.
 */
export async function advanceParticipant(
  db: Db,
  userId: string,
  studyId: string,
  intent: ParticipantIntent,
  options: { endMatch: EndMatch },
): Promise<void> {
  const participant = await db.participant.findUnique({ where: { userId } });
  if (!participant || participant.studyId !== studyId)
    throw new CruxError("FORBIDDEN", "You are not taking part in this study.");
  const version = await getStudyVersion(db, participant.versionId);
  const { config } = version.frozen;
  const stage = parseStage(participant.stage);
  await db.participant.update({ where: { id: participant.id }, data: { lastSeenAt: new Date() } });
  // Screened-out participants still answer the survey (if any) before their code; nobody else goes on once out.
  const screenedAtSurvey = participant.status === "screened_out" && stage === "survey";
  if ((participant.status !== "active" && !screenedAtSurvey) || stage === "done")
    throw new CruxError("CONFLICT", "You have finished this study.");
  // Keyed by every step, so an intent without a stage (or a step without an intent) does not compile.
  const expected: Record<ParticipantStep, Stage> = {
    consent: "consent",
    instructions: "instructions",
    check: "check",
    practice: "practice",
    qualification: "qualification",
    next: "matches",
    survey: "survey",
  };
  if (expected[intent.step] !== stage)
    throw new CruxError("CONFLICT", "This page is out of date: it has been reloaded with your current step.");

  const finish = (status: ParticipantStatus, code: string | null) =>
    db.participant.update({
      where: { id: participant.id },
      data: { stage: "done", status, completionCode: code, finishedAt: new Date() },
    });
  const enter = async (next: Stage): Promise<void> => {
    if (next === "check" && config.comprehensionCheck.questions.length === 0) return enter("practice");
    if (next === "practice" && !version.frozen.practiceQuestionId) return enter("qualification");
    if (next === "qualification" && version.frozen.qualificationQuestionIds.length === 0) return enter("matches");
    if (next === "survey" && config.survey.length === 0) {
      await finish("completed", config.completion.codes.completed);
      return;
    }
    await db.participant.update({ where: { id: participant.id }, data: { stage: next } });
    if (next === "practice") await startPractice(db, participant, version);
    if (next === "qualification") await qualify();
    if (next === "matches") await nextMatch();
  };
  // The next qualification match, or — all judged — the pass rule: on to the matches, or off with the code.
  const qualify = async (): Promise<void> => {
    const state = await qualificationState(db, version, participant.userId);
    if (state.current && !state.current.settled) throw new CruxError("CONFLICT", "Finish this match first.");
    if (state.done < state.total) return startQualificationMatch(db, version, participant, state);
    if (passesQualification(config.qualification, state.results)) return enter("matches");
    if (config.survey.length === 0) {
      await finish("screened_out", config.completion.codes.screenedOut);
      return;
    }
    await db.participant.update({ where: { id: participant.id }, data: { status: "screened_out", stage: "survey" } });
  };
  const nextMatch = async (): Promise<void> => {
    const result = await assignNext(db, participant.id, { endMatch: options.endMatch });
    if (result.kind === "match") return;
    if (result.kind === "full" && result.done === 0) {
      await finish("full", null);
      return;
    }
    await enter("survey");
  };

  switch (intent.step) {
    case "consent":
      return enter("instructions");
    case "instructions":
      return enter("check");
    case "check": {
      const questions = config.comprehensionCheck.questions;
      const correct = questions.filter((q, i) => intent.answers[i] === q.answer).length;
      const passed = correct === questions.length;
      // Every submission is kept (exported as check_attempts); `checkAttempts` counts the failed ones.
      const attempts = participant.checkAttempts + (passed ? 0 : 1);
      await recordCheckAttempt(db, {
        participantId: participant.id,
        attempt: participant.checkAttempts + 1,
        answers: intent.answers.slice(0, questions.length),
        correct,
        questions: questions.length,
        passed,
        failures: attempts,
      });
      if (passed) return enter("practice");
      if (attempts >= config.comprehensionCheck.attempts)
        await finish("failed_check", config.completion.codes.failedCheck);
      return;
    }
    case "practice": {
      const practice = await db.match.findFirst({ where: { judgeId: userId, studyId, practice: true, planKey: null } });
      if (practice && (practice.status === "running" || practice.status === "waiting"))
        throw new CruxError("CONFLICT", "Finish the practice match first.");
      return enter("qualification");
    }
    case "qualification":
      return qualify();
    case "next": {
      return nextMatch();
    }
    case "survey": {
      const answers = validateSurvey(config.survey, intent.answers);
      await db.participant.update({ where: { id: participant.id }, data: { survey: asJson(answers) } });
      if (screenedAtSurvey) await finish("screened_out", config.completion.codes.screenedOut);
      else await finish("completed", config.completion.codes.completed);
      return;
    }
  }
}

/**
 * Stores one check submission and the participant's count of failed ones, together. A second submission of the same
 * attempt (two tabs at once) is refused as a stale page rather than counted twice.
 */
async function recordCheckAttempt(
  db: Db,
  input: {
    participantId: string;
    attempt: number;
    answers: number[];
    correct: number;
    questions: number;
    passed: boolean;
    failures: number;
  },
): Promise<void> {
  const { failures, ...attempt } = input;
  try {
    await db.$transaction([
      db.checkAttempt.create({ data: { ...attempt, answers: asJson(attempt.answers) }, select: { id: true } }),
      db.participant.update({ where: { id: input.participantId }, data: { checkAttempts: failures } }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new CruxError("CONFLICT", "This page is out of date: it has been reloaded with your current step.");
    throw error;
  }
}

async function startPractice(
  db: Db,
  participant: { id: string; userId: string; studyId: string },
  version: Awaited<ReturnType<typeof getStudyVersion>>,
): Promise<void> {
  const questionId = version.frozen.practiceQuestionId;
  const condition = version.frozen.config.conditions[0];
  if (!questionId || !condition) return;
  const existing = await db.match.findFirst({
    where: { judgeId: participant.userId, practice: true, planKey: null, studyId: participant.studyId },
  });
  if (existing) return;
  const question = await db.question.findUniqueOrThrow({ where: { id: questionId }, select: { gold: true } });
  await createConditionMatch(db, version, condition, {
    questionId,
    gold: question.gold,
    balance: balanceFor(0),
    judgeId: participant.userId,
    link: { practice: true },
    seedParts: ["practice", participant.id],
  });
}

/** Checks survey answers against the design: required ones present, scales 1–7, choices among the options. */
export function validateSurvey(
  questions: readonly SurveyQuestion[],
  answers: Record<string, string | number>,
): Record<string, string | number> {
  const clean: Record<string, string | number> = {};
  for (const q of questions) {
    const raw = answers[q.id];
    const empty = raw === undefined || (typeof raw === "string" && raw.trim() === "");
    if (empty) {
      if (q.required) throw new CruxError("BAD_REQUEST", `Please answer: ${q.prompt}`);
      continue;
    }
    if (q.kind === "scale") {
      const value = Number(raw);
      if (!Number.isInteger(value) || value < 1 || value > 7)
        throw new CruxError("BAD_REQUEST", `"${q.prompt}" takes a whole number from 1 to 7.`);
      clean[q.id] = value;
    } else if (q.kind === "choice") {
      if (typeof raw !== "string" || !q.options.includes(raw))
        throw new CruxError("BAD_REQUEST", `"${q.prompt}": choose one of the options.`);
      clean[q.id] = raw;
    } else {
      clean[q.id] = String(raw).trim().slice(0, 4000);
    }
  }
  return clean;
}

/** Marks the participant as seen now (pages and socket events call it), for the monitor and dropout sweeps. */
export async function touchParticipant(db: Db, userId: string): Promise<void> {
  await db.participant.updateMany({ where: { userId }, data: { lastSeenAt: new Date() } });
}

/** Records that the participants with these user ids are online now (`lastSeenAt`, read by the dropout sweep). */
export async function markParticipantsSeen(db: Db, userIds: readonly string[]): Promise<void> {
  await db.participant.updateMany({ where: { userId: { in: [...userIds] } }, data: { lastSeenAt: new Date() } });
}
