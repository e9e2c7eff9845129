"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionState } from "@/components/action-form";
import { type AuditAction, recordAudit } from "@/lib/auth/audit";
import type { SessionUser } from "@/lib/auth/roles";
import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { CruxError } from "@/lib/errors";
import { getRunner } from "@/lib/matches/runner-registry";
import { checkModelSpec } from "@/lib/models/check-spec";
import { serverProviders } from "@/lib/models/runtime";
import { canCorrectStudy, recordCorrection } from "@/lib/studies/corrections";
import { endStudyMatch, reassignSlot, removeParticipant } from "@/lib/studies/monitor";
import { addStudyMember, getStudyFor, launchStudy, type StudyDetail, setStudyStatus } from "@/lib/studies/repository";
import { assertStudyRunnable, startBackgroundRun, stopBackgroundRun } from "@/lib/studies/run";
import { correctionKindSchema, correctionReasonSchema, settableStudyStatusSchema } from "@/lib/studies/vocabulary";
import { formAction, rawText } from "../../form-action";
import { studyEndMatch } from "../access";

/**
 * Actions of a study's page and monitor. Each one: a researcher account (requireRole), access to this study
 * (getStudyFor: owner, added researcher or admin), its form data parsed with zod, one lib call, revalidatePath.
 * They answer with a short message for the form's live region.
 */

const id = z.string().trim().min(1).max(64);
const studyOnly = z.object({ studyId: id });

/** Who acts, on which study (access checked): for handlers with rules of their own. */
interface ActionContext {
  user: SessionUser;
  study: StudyDetail;
}
type Handler<T> = (input: T & { studyId: string }, context: ActionContext) => Promise<string>;
/**
 * What the audit log records of a successful action (the target defaults to the study); null when the lib function
 * records the entry itself, in the transaction of the change.
 */
type Audit<T> = (input: T & { studyId: string }) => { action: AuditAction; target?: string; details?: object } | null;

/**
 * A researcher with access to this study (getStudyFor: owner, added researcher or admin) runs `handler`; the audit
 * entry is written once the action has succeeded (a refused action leaves none).
 */
const studyAction = <S extends z.ZodType<{ studyId: string }>>(
  schema: S,
  handler: Handler<z.output<S>>,
  audit: Audit<z.output<S>>,
) =>
  formAction({
    schema,
    authorize: (raw) =>
      requireRole("researcher", { callbackUrl: `/studies/${encodeURIComponent(rawText(raw, "studyId"))}` }),
    act: async (user, data) => {
      const study = await getStudyFor(getDb(), user, data.studyId);
      const message = await handler(data, { user, study });
      const entry = audit(data);
      if (entry)
        await recordAudit(getDb(), {
          actor: user,
          action: entry.action,
          target: entry.target ?? `study:${data.studyId}`,
          details: { studyId: data.studyId, ...entry.details },
        });
      return message;
    },
    revalidate: (data) => revalidatePath(`/studies/${data.studyId}`, "layout"),
  });

const launch = studyAction(
  studyOnly,
  async ({ studyId }) => {
    const version = await launchStudy(getDb(), studyId);
    return version.unchanged
      ? `Nothing changed since version ${version.version}: it stays the live version.`
      : `Version ${version.version} is live with ${version.slots} slots.`;
  },
  () => ({ action: "study.launch" }),
);

const setStatus = studyAction(
  studyOnly.extend({ status: settableStudyStatusSchema }),
  async ({ studyId, status }) => {
    await setStudyStatus(getDb(), studyId, status);
    return { live: "The study is live.", paused: "The study is paused.", closed: "The study is closed." }[status];
  },
  ({ status }) => ({ action: "study.status", details: { status } }),
);

const addMember = studyAction(
  studyOnly.extend({ email: z.email("Enter the researcher's email address.") }),
  async ({ studyId, email }) => {
    await addStudyMember(getDb(), studyId, email);
    return `${email} can now see and run this study.`;
  },
  ({ email }) => ({ action: "study.member_add", details: { email } }),
);

const startRun = studyAction(
  studyOnly.extend({
    judge: z.string().trim().min(3, "Enter a judge model spec, e.g. offline:heuristic.").max(200),
    concurrency: z.coerce.number().int().min(1, "Concurrency is 1 to 32.").max(32, "Concurrency is 1 to 32."),
  }),
  async ({ studyId, judge, concurrency }) => {
    const runner = getRunner();
    if (!runner)
      throw new CruxError("CONFLICT", "No match runner in this process: start the Crux server to run studies.");
    // Refuse an unknown or unconfigured judge now, rather than as a run of errored matches.
    const problem = checkModelSpec(judge, "judge", { providers: serverProviders() });
    if (problem) throw new CruxError("BAD_REQUEST", `Judge: ${problem}.`);
    await assertStudyRunnable(getDb(), { studyId, judge });
    const { started } = startBackgroundRun(getDb(), runner, { studyId, judge, concurrency });
    if (!started) throw new CruxError("CONFLICT", "A run of this study is already going.");
    return `Automated run started with judge ${judge}.`;
  },
  ({ judge, concurrency }) => ({ action: "study.run_start", details: { judge, concurrency } }),
);

const stopRun = studyAction(
  studyOnly,
  async ({ studyId }) =>
    stopBackgroundRun(studyId)
      ? "Stopping: matches in flight finish or stay resumable."
      : "No run of this study is going in this server.",
  () => ({ action: "study.run_stop" }),
);

const endMatch = studyAction(
  studyOnly.extend({ matchId: id }),
  async ({ studyId, matchId }) => {
    const { reopened } = await endStudyMatch(getDb(), studyId, matchId, studyEndMatch());
    return reopened ? "Match ended; its slot is open again." : "Match ended.";
  },
  ({ matchId }) => ({ action: "match.end", target: `match:${matchId}` }),
);

const reassign = studyAction(
  studyOnly.extend({ slotId: id }),
  async ({ studyId, slotId }) => {
    await reassignSlot(getDb(), studyId, slotId, studyEndMatch());
    return "Slot reopened; the participant gets another match on their next step.";
  },
  ({ slotId }) => ({ action: "slot.reassign", target: `slot:${slotId}` }),
);

const remove = studyAction(
  studyOnly.extend({ participantId: id }),
  async ({ studyId, participantId }) => {
    const { completionCode } = await removeParticipant(getDb(), studyId, participantId, studyEndMatch());
    return `Participant removed (completion code ${completionCode}).`;
  },
  ({ participantId }) => ({ action: "participant.remove", target: `participant:${participantId}` }),
);

const correctMatch = studyAction(
  studyOnly.extend({ matchId: id, kind: correctionKindSchema, reason: correctionReasonSchema }),
  async ({ studyId, matchId, kind, reason }, { user, study }) => {
    if (!canCorrectStudy(user, study))
      throw new CruxError("FORBIDDEN", "Only the study's owner or an admin can correct its data.");
    await recordCorrection(getDb(), { studyId, targetKind: "match", targetId: matchId, kind, reason, actor: user });
    return kind === "exclude"
      ? "Match excluded from the results; the correction is recorded with its reason."
      : "Match restored to the results; the correction is recorded with its reason.";
  },
  // recordCorrection audits in its own transaction.
  () => null,
);

// A "use server" module may export only async functions: each action is one.
export async function launchStudyAction(previous: ActionState, input: unknown) {
  return launch(previous, input);
}
export async function setStudyStatusAction(previous: ActionState, input: unknown) {
  return setStatus(previous, input);
}
export async function addStudyMemberAction(previous: ActionState, input: unknown) {
  return addMember(previous, input);
}
export async function startRunAction(previous: ActionState, input: unknown) {
  return startRun(previous, input);
}
export async function stopRunAction(previous: ActionState, input: unknown) {
  return stopRun(previous, input);
}
export async function endMatchAction(previous: ActionState, input: unknown) {
  return endMatch(previous, input);
}
export async function reassignSlotAction(previous: ActionState, input: unknown) {
  return reassign(previous, input);
}
export async function removeParticipantAction(previous: ActionState, input: unknown) {
  return remove(previous, input);
}
export async function correctMatchAction(previous: ActionState, input: unknown) {
  return correctMatch(previous, input);
}
