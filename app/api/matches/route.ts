import { NextResponse } from "next/server";
import { z } from "zod";
import { getOrCreateGuest } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { PROTOCOLS } from "@/lib/debate/vocabulary";
import { ERROR_STATUS, toErrorPayload } from "@/lib/errors";
import { PLAYABLE_SOURCES, playableDebaters, startJudgeMatch } from "@/lib/matches/start-guest-match";

const bodySchema = z
  .object({
    source: z.enum(PLAYABLE_SOURCES).optional(),
    protocol: z.enum(PROTOCOLS).optional(),
    debaters: z
      .string()
      .refine(
        (spec) => playableDebaters().includes(spec),
        "not a debater model offered for play (see CRUX_PLAY_MODELS)",
      )
      .optional(),
  })
  .strict();

/** POST /api/matches — start a debate for the caller (a guest session is created when there is none). */
export async function POST(request: Request) {
  const text = await request.text();
  let json: unknown = {};
  try {
    json = text.trim() ? JSON.parse(text) : {};
  } catch {
    return NextResponse.json({ code: "BAD_REQUEST", message: "Body must be JSON." }, { status: 400 });
  }
  const body = bodySchema.safeParse(json);
  if (!body.success) {
    const issue = body.error.issues[0];
    return NextResponse.json(
      { code: "BAD_REQUEST", message: `${issue?.path.join(".") || "body"}: ${issue?.message}` },
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
