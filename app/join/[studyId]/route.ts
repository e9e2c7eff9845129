import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/guest";
import { getCurrentUser } from "@/lib/auth/session";
import { clientIpFrom, isHttpsFrom } from "@/lib/client-ip";
import { getDb } from "@/lib/db/client";
import { CruxError, zodErrorMessage } from "@/lib/errors";
import { retryAfterSeconds, waitInWords } from "@/lib/rate-limit";
import { consumeJoinAttempt } from "@/lib/studies/join-limits";
import { externalIdsSchema, joinStudy } from "@/lib/studies/participants";

const studyIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * GET /join/<studyId>?PROLIFIC_PID=…&STUDY_ID=…&SESSION_ID=… — a participant's study link. Binds this browser to
 * a participant of the study (a new one, or the same one again for the browser holding its session, or for its
 * PROLIFIC_PID with the same SESSION_ID: `joinStudy`) with a cookie session, then sends them on to their current
 * step. Limited per client IP (`CRUX_JOIN_LIMIT_PER_IP`). Refusals are small readable pages with the right status,
 * because whoever follows a study link is a person in a browser, not an API client.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ studyId: string }> }) {
  const limited = await consumeJoinAttempt(clientIpFrom(request.headers));
  if (!limited.ok) {
    const seconds = retryAfterSeconds(limited.retryAfterMs);
    const page = messagePage(
      429,
      "Too many study links opened",
      `Too many study links have been opened from your network. Please try again in ${waitInWords(seconds)}.`,
    );
    page.headers.set("retry-after", String(seconds));
    return page;
  }
  const { studyId } = await params;
  if (!studyIdSchema.safeParse(studyId).success)
    return messagePage(404, "Study not found", "This study link is not valid.");
  const external = externalIdsSchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!external.success) {
    const detail = zodErrorMessage(external.error, { first: true });
    return messagePage(
      400,
      "This study link is malformed",
      `The link's participant details are not valid (${detail}). Please use the link exactly as the study gave it.`,
    );
  }
  try {
    const joined = await joinStudy(getDb(), { studyId, external: external.data, current: await getCurrentUser() });
    // A relative Location: correct behind any proxy, whatever host name the server sees.
    const response = new NextResponse(null, { status: 303, headers: { location: `/participate/${studyId}` } });
    if (joined.session)
      response.cookies.set(
        SESSION_COOKIE,
        joined.session.token,
        sessionCookieOptions(joined.session.expires, isHttpsFrom(request.headers)),
      );
    return response;
  } catch (error) {
    if (!(error instanceof CruxError)) throw error;
    const titles: Partial<Record<number, string>> = {
      403: "This study is open to Prolific participants only",
      404: "Study not found",
      409: "You cannot join this study right now",
    };
    return messagePage(error.status, titles[error.status] ?? "You cannot join this study", error.message);
  }
}

/** A minimal standalone HTML page: route handlers do not render the app's layout. */
function messagePage(status: number, title: string, message: string): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Crux</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1.5rem;line-height:1.5;color:#1d1d1f}</style>
</head><body><main><h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p></main></body></html>`;
  return new Response(html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}
