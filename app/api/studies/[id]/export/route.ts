import { NextResponse } from "next/server";
import { loadStudyForApi } from "@/app/studies/access";
import { recordAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { zodErrorMessage } from "@/lib/errors";
import { exportFileName, exportQuerySchema, exportStudy, toReadableStream } from "@/lib/export/export-study";

export const dynamic = "force-dynamic";

const CONTENT_TYPES = { csv: "text/csv; charset=utf-8", jsonl: "application/x-ndjson; charset=utf-8" } as const;

/**
 * GET /api/studies/<id>/export?table=verdicts|judge-steps|turns|matches|events&format=csv|jsonl[&pseudonymise=false]
 * — the study's data as a download, streamed batch by batch (researchers with access; else JSON 401/403/404).
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await loadStudyForApi(id);
  if (!access.ok) return access.response;
  const query = exportQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) {
    return NextResponse.json(
      { code: "BAD_REQUEST", message: zodErrorMessage(query.error, { first: true, root: "query" }) },
      { status: 400 },
    );
  }
  const { table, format, pseudonymise } = query.data;
  await recordAudit(getDb(), {
    actor: access.user,
    action: "export.download",
    target: `study:${access.study.id}`,
    details: { table, format, pseudonymise },
  });
  const chunks = exportStudy(getDb(), access.study.id, { table, format, pseudonymise });
  return new Response(toReadableStream(chunks), {
    headers: {
      "content-type": CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="${exportFileName(access.study.name, table, format)}"`,
      "cache-control": "no-store",
    },
  });
}
