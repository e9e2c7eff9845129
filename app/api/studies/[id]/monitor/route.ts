import { NextResponse } from "next/server";
import { errorResponse, loadStudyForApi } from "@/app/studies/access";
import { getDb } from "@/lib/db/client";
import { getStudyMonitor } from "@/lib/studies/monitor";

export const dynamic = "force-dynamic";

/** GET /api/studies/<id>/monitor — the live monitor of the study's current version (researchers with access). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await loadStudyForApi(id);
  if (!access.ok) return access.response;
  try {
    const monitor = await getStudyMonitor(getDb(), access.study.id);
    return NextResponse.json(monitor, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
