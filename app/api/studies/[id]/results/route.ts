import { NextResponse } from "next/server";
import { z } from "zod";
import { errorResponse, loadStudyForApi } from "@/app/studies/access";
import { getHeadlineComparison, getRatingIntervals } from "@/lib/analysis/headline";
import { getStudyResults } from "@/lib/analysis/results";
import { parseResultsFilters, RESULTS_PARTS } from "@/lib/analysis/results-schema";
import { getDb } from "@/lib/db/client";
import { CruxError, zodErrorMessage } from "@/lib/errors";

export const dynamic = "force-dynamic";

const partSchema = z.object({
  part: z.enum(RESULTS_PARTS).default("summary"),
  replicates: z.coerce.number().int().min(100).max(20_000).default(2000),
});

/**
 * GET /api/studies/<id>/results — the study's results as JSON (researchers with access; 401/403 JSON otherwise).
 * Filters as query parameters (from, to, judge, condition…, tag…, judgeKind; lib/analysis/results-schema.ts).
 * `part=summary` (default): every aggregate; `part=headline`: bootstrap differences and permutation tests;
 * `part=ratings`: Bradley–Terry rating intervals (both slow on large studies, cached; `replicates`, default 2000).
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await loadStudyForApi(id);
  if (!access.ok) return access.response;
  const search = new URL(request.url).searchParams;
  const options = partSchema.safeParse({
    part: search.get("part") ?? undefined,
    replicates: search.get("replicates") ?? undefined,
  });
  const filters = parseResultsFilters(search);
  if (!options.success || !filters.success) {
    const error = options.error ?? filters.error;
    const problem = error ? zodErrorMessage(error, { first: true, root: "query" }) : "invalid";
    return errorResponse(new CruxError("BAD_REQUEST", `Bad query parameter ${problem}`));
  }
  try {
    const db = getDb();
    const { part, replicates } = options.data;
    const body =
      part === "headline"
        ? await getHeadlineComparison(db, access.study.id, filters.data, { replicates, signal: request.signal })
        : part === "ratings"
          ? await getRatingIntervals(db, access.study.id, filters.data, { replicates, signal: request.signal })
          : await getStudyResults(db, access.study.id, filters.data);
    return NextResponse.json(body, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
