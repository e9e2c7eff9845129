import "server-only";
import { notFound } from "next/navigation";
import { NextResponse } from "next/server";
import { hasRole, isAccount, type SessionUser } from "@/lib/auth/roles";
import { getCurrentUser, requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { CruxError, ERROR_STATUS, toErrorPayload } from "@/lib/errors";
import { getRunner } from "@/lib/matches/runner-registry";
import { type EndMatch, endMatchInDatabase } from "@/lib/studies/assignment";
import { getStudyFor, type StudyDetail } from "@/lib/studies/repository";

/**
 * The one access rule of the study pages, actions and API routes: a researcher (or admin) account, then
 * `getStudyFor` — the owner, an added researcher or an admin sees the study; anyone else gets a notice (pages), a
 * message (actions) or a JSON 403 (APIs), never its data.
 */

export type StudyPageAccess =
  | { ok: true; user: SessionUser; study: StudyDetail }
  | { ok: false; user: SessionUser; message: string };

/** For pages: sign-in redirect without the role, notFound() for no such study, a refusal for someone else's. */
export async function loadStudyForPage(studyId: string, callbackUrl: string): Promise<StudyPageAccess> {
  const user = await requireRole("researcher", { callbackUrl });
  try {
    return { ok: true, user, study: await getStudyFor(getDb(), user, studyId) };
  } catch (error) {
    if (error instanceof CruxError && error.code === "NOT_FOUND") notFound();
    if (error instanceof CruxError && error.code === "FORBIDDEN") return { ok: false, user, message: error.message };
    throw error;
  }
}

/** For route handlers: the study, or the JSON response to send instead (401, 403, 404). */
export async function loadStudyForApi(
  studyId: string,
): Promise<{ ok: true; user: SessionUser; study: StudyDetail } | { ok: false; response: NextResponse }> {
  const user = await getCurrentUser();
  if (!user) return refuse(new CruxError("NOT_AUTHENTICATED", "Sign in first."));
  if (!hasRole(user, "researcher"))
    return refuse(
      new CruxError(
        "FORBIDDEN",
        isAccount(user) ? "This needs a researcher account." : "Guests cannot use this: sign in as a researcher.",
      ),
    );
  try {
    return { ok: true, user, study: await getStudyFor(getDb(), user, studyId) };
  } catch (error) {
    return refuse(error);
  }
}

/** An error as the JSON body and status the APIs answer with. */
export function errorResponse(error: unknown): NextResponse {
  const payload = toErrorPayload(error);
  return NextResponse.json(payload, { status: ERROR_STATUS[payload.code], headers: { "cache-control": "no-store" } });
}

function refuse(error: unknown): { ok: false; response: NextResponse } {
  return { ok: false, response: errorResponse(error) };
}

/** Ends a live match through the server's runner (aborting its model calls), or in the database without one. */
export function studyEndMatch(): EndMatch {
  const runner = getRunner();
  if (!runner) return endMatchInDatabase(getDb());
  return async (matchId, reason) => {
    await runner.abandon(matchId, reason);
  };
}
