import { NextResponse } from "next/server";
import { getOrCreateGuest } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { ERROR_STATUS, toErrorPayload, zodErrorMessage } from "@/lib/errors";
import { startJudgeMatch, startMatchSchema } from "@/lib/matches/start-guest-match";

/** POST /api/matches — start a debate for the caller (a guest session is created when there is none). */
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
    const user = await getOrCreateGuest();
    const match = await startJudgeMatch(getDb(), { judgeId: user.id, ...body.data });
    return NextResponse.json({ matchId: match.id, url: `/match/${match.id}` }, { status: 201 });
  } catch (error) {
    const payload = toErrorPayload(error);
    return NextResponse.json(payload, { status: ERROR_STATUS[payload.code] });
  }
}
