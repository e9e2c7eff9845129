import { NextResponse } from "next/server";
import { getOrCreateGuest } from "@/lib/auth/session";
import { clientIpFrom } from "@/lib/client-ip";
import { getDb } from "@/lib/db/client";
import { ERROR_STATUS, toErrorPayload, zodErrorMessage } from "@/lib/errors";
import { startMatchSchema } from "@/lib/matches/start-guest-match";
import { admitMatchStart, matchStartRefusal } from "@/lib/matches/start-limits";
import { startPlayMatch } from "@/lib/play/start-play";
import { retryAfterSeconds } from "@/lib/rate-limit";

/**
 * POST /api/matches — start a debate for the caller (a guest session is created when there is none). Past the
 * match-start limits (per user and per client IP): 429 with Retry-After.
 */
export async function POST(request: Request) {
  const text = await request.text();
  let json: unknown = {};
  try {
    json = text.trim() ? JSON.parse(text) : {};
  } catch {
    return NextResponse.json({ code: "BAD_REQUEST", message: "Body must be JSON." }, { status: 400 });
  }
  const body = startMatchSchema.safeParse(json);
  if (!body.success) {
    return NextResponse.json(
      { code: "BAD_REQUEST", message: zodErrorMessage(body.error, { first: true, root: "body" }) },
      { status: 400 },
    );
  }
  try {
    const admitted = await admitMatchStart(clientIpFrom(request.headers), getOrCreateGuest);
    if (!admitted.ok) {
      const seconds = retryAfterSeconds(admitted.retryAfterMs);
      return NextResponse.json(
        { code: "RATE_LIMITED", message: matchStartRefusal(seconds) },
        { status: ERROR_STATUS.RATE_LIMITED, headers: { "retry-after": String(seconds) } },
      );
    }
    const match = await startPlayMatch(getDb(), { judgeId: admitted.user.id, ...body.data });
    return NextResponse.json({ matchId: match.id, url: `/match/${match.id}` }, { status: 201 });
  } catch (error) {
    const payload = toErrorPayload(error);
    return NextResponse.json(payload, { status: ERROR_STATUS[payload.code] });
  }
}
