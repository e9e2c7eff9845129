"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { StudyFormState } from "@/components/studies/study-draft";
import { recordAudit } from "@/lib/auth/audit";
import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { CruxError, dottedPath } from "@/lib/errors";
import { describeIssues, parseStudyDesign } from "@/lib/studies/config";
import { describeStudyIssue } from "@/lib/studies/config-messages";
import { fieldIssues } from "@/lib/studies/config-paths";
import { createStudy, getStudyFor, StudyDesignError, updateStudyConfig } from "@/lib/studies/repository";

/** The design form's actions: validate the whole document with the one study schema, then save and go to it. */

const studyIdSchema = z.string().min(1).max(64);

function refused(error: z.ZodError): StudyFormState {
  return {
    issues: fieldIssues(error),
    summary: describeIssues(error),
  };
}

function failure(error: unknown): StudyFormState {
  if (error instanceof StudyDesignError)
    return {
      issues: error.issues.map((issue) => ({ path: dottedPath(issue.path), message: issue.message })),
      summary: error.issues.map(describeStudyIssue),
    };
  if (error instanceof CruxError) return { error: error.message };
  throw error;
}

/** Researcher: a new draft study from the design form (or pasted YAML/JSON); goes to the study's page. */
export async function createStudyAction(_previous: StudyFormState, input: unknown): Promise<StudyFormState> {
  const user = await requireRole("researcher", { callbackUrl: "/studies/new" });
  const parsed = parseStudyDesign(input);
  if (!parsed.success) return refused(parsed.error);
  let studyId: string;
  try {
    studyId = (await createStudy(getDb(), { ownerId: user.id, config: parsed.data })).id;
    await recordAudit(getDb(), {
      actor: user,
      action: "study.create",
      target: `study:${studyId}`,
      details: { name: parsed.data.name },
    });
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/studies");
  redirect(`/studies/${studyId}`);
}

/** Researcher with access: replaces the study's draft design (a live study keeps its version until relaunched). */
export async function updateStudyAction(
  studyId: string,
  _previous: StudyFormState,
  input: unknown,
): Promise<StudyFormState> {
  const id = studyIdSchema.safeParse(studyId);
  if (!id.success) return { error: "No such study." };
  const user = await requireRole("researcher", { callbackUrl: `/studies/${encodeURIComponent(id.data)}/edit` });
  const parsed = parseStudyDesign(input);
  if (!parsed.success) return refused(parsed.error);
  try {
    await getStudyFor(getDb(), user, id.data);
    await updateStudyConfig(getDb(), id.data, parsed.data);
    await recordAudit(getDb(), {
      actor: user,
      action: "study.edit",
      target: `study:${id.data}`,
      details: { name: parsed.data.name },
    });
  } catch (error) {
    return failure(error);
  }
  revalidatePath(`/studies/${id.data}`);
  redirect(`/studies/${id.data}`);
}
