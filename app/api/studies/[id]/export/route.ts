import { NextResponse } from "next/server";
import { errorResponse, loadStudyForApi } from "@/app/studies/access";
import { recordAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { CruxError, zodErrorMessage } from "@/lib/errors";
import {
  exportFileName,
  exportQuerySchema,
  exportStudy,
  exportStudyZip,
  mayExportRawIds,
  toReadableStream,
} from "@/lib/export/export-study";

export const dynamic = "force-dynamic";

const CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/x-ndjson; charset=utf-8",
  zip: "application/zip",
} as const;

/**
 * GET /api/studies/<id>/export?table=<table>|all&format=csv|jsonl[&raw=1][&tag=…] — one table of the study's data
 * (lib/export/columns.ts), or every table and the codebook as one zip, streamed batch by batch (researchers with
 * access; else JSON 401/403/404). `raw=1` (the owner and admins only, else 403) exports ids as they are.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await loadStudyForApi(id);
  if (!access.ok) return access.response;
  const search = new URL(request.url).searchParams;
  const query = exportQuerySchema.safeParse({ ...Object.fromEntries(search), tag: search.getAll("tag") });
  if (!query.success) {
    return NextResponse.json(
      { code: "BAD_REQUEST", message: zodErrorMessage(query.error, { first: true, root: "query" }) },
      { status: 400 },
    );
  }
  const { table, format, raw, tag } = query.data;
  if (raw && !mayExportRawIds(access.user, access.study))
    return errorResponse(new CruxError("FORBIDDEN", "Only the study's owner or an admin may export raw ids."));
  await recordAudit(getDb(), {
    actor: access.user,
    action: "export.download",
    target: `study:${access.study.id}`,
    details: { table, format, raw, ...(tag.length > 0 ? { tag } : {}) },
  });
  const options = { format, raw, tags: tag };
  const body =
    table === "all"
      ? exportStudyZip(getDb(), access.study.id, options)
      : exportStudy(getDb(), access.study.id, { ...options, table });
  return new Response(toReadableStream(body), {
    headers: {
      "content-type": CONTENT_TYPES[table === "all" ? "zip" : format],
      "content-disposition": `attachment; filename="${exportFileName(access.study.name, table, format)}"`,
      "cache-control": "no-store",
    },
  });
}
