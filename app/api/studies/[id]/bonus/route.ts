import { loadStudyForApi } from "@/app/studies/access";
import { recordAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { studyBonusFile } from "@/lib/studies/payments";

export const dynamic = "force-dynamic";

/**
 * GET /api/studies/<id>/bonus — the study's bonus file in Prolific's bulk-bonus format (`<prolific id>,<amount>`
 * lines: participants who completed the study, earned a bonus and arrived with an external id), as a download for
 * researchers with access (else JSON 401/403/404). Every download is audited.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await loadStudyForApi(id);
  if (!access.ok) return access.response;
  const db = getDb();
  const file = await studyBonusFile(db, access.study.id);
  await recordAudit(db, {
    actor: access.user,
    action: "bonus.download",
    target: `study:${access.study.id}`,
    details: { lines: file === "" ? 0 : file.split("\n").length - 1 },
  });
  return new Response(file, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="bonus-${access.study.id}.csv"`,
      "cache-control": "no-store",
    },
  });
}
