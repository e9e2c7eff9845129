import { withFullPrompts } from "../matches/prompt-parts";
import { batches, iso } from "./batches";
import type { Row } from "./columns";
import type { ExportContext } from "./context";
import { pseudonymiseText } from "./pseudonym";

/**
 * The rows of the log tables of a study export: model calls, the matches' event log and the study's audit trail,
 * in keyed batches like the others.
 */

/** JSON as one text cell; user ids in it pseudonymised unless the export is raw. */
const jsonCell = (ctx: ExportContext, value: unknown) => pseudonymiseText(JSON.stringify(value), ctx.pseudonyms);

export async function* modelCallRows(ctx: ExportContext): AsyncGenerator<Row[]> {
  const pages = batches(
    ctx,
    (after: string | null) =>
      ctx.db.modelCall.findMany({
        where: { match: ctx.matchWhere, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take: ctx.batchSize,
        include: { match: { select: { condition: true } } },
      }),
    (call) => call.id,
  );
  for await (const stored of pages) {
    // Prompts are stored with their story kept once: the export gives each in full, exactly as sent.
    const calls = await withFullPrompts(ctx.db, stored);
    yield calls.map((call) => ({
      study_id: ctx.studyId,
      condition: call.match?.condition ?? null,
      match_id: call.matchId,
      call_id: call.id,
      round: call.round,
      role: call.role,
      seat: call.seat,
      model: call.model,
      prompt_version: call.promptVersion,
      prompt_hash: call.promptHash,
      prompt: call.promptText,
      settings: JSON.stringify(call.settings),
      output: call.output,
      error: call.error,
      attempts: call.attempts,
      cached: call.cached,
      tokens_in: call.tokensIn,
      tokens_out: call.tokensOut,
      cost_usd: call.costUsd,
      latency_ms: call.latencyMs,
      created_at: iso(call.createdAt),
    }));
  }
}

export async function* eventRows(ctx: ExportContext): AsyncGenerator<Row[]> {
  const pages = batches(
    ctx,
    (after: number | null) =>
      ctx.db.event.findMany({
        where: { match: ctx.matchWhere, id: { gt: after ?? 0 } },
        orderBy: { id: "asc" },
        take: ctx.batchSize,
      }),
    (e) => e.id,
  );
  for await (const events of pages) {
    yield events.map((e) => ({
      study_id: ctx.studyId,
      event_id: e.id,
      match_id: e.matchId,
      type: e.type,
      payload: jsonCell(ctx, e.payload),
      created_at: iso(e.createdAt),
    }));
  }
}

/** What was done to the study itself (`study:<id>` entries: launches, status changes, members, exports). */
export async function* auditRows(ctx: ExportContext): AsyncGenerator<Row[]> {
  const pages = batches(
    ctx,
    (after: number | null) =>
      ctx.db.auditLog.findMany({
        where: { target: `study:${ctx.studyId}`, id: { gt: after ?? 0 } },
        orderBy: { id: "asc" },
        take: ctx.batchSize,
      }),
    (entry) => entry.id,
  );
  for await (const entries of pages) {
    yield entries.map((entry) => ({
      study_id: ctx.studyId,
      audit_id: entry.id,
      actor_id: entry.actorId,
      action: entry.action,
      details: jsonCell(ctx, entry.details),
      created_at: iso(entry.createdAt),
    }));
  }
}
