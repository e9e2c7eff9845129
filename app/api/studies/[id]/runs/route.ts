import { NextResponse } from "next/server";
import { loadStudyForApi } from "@/app/studies/access";
import { getDb } from "@/lib/db/client";
import { listRuns } from "@/lib/studies/run";

export const dynamic = "force-dynamic";

/** GET /api/studies/<id>/runs — progress of the study's automated runs (researchers with access; else 401/403). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await loadStudyForApi(id);
  if (!access.ok) return access.response;
  const runs = await listRuns(getDb(), access.study.id);
  return NextResponse.json({ runs }, { headers: { "cache-control": "no-store" } });
}
