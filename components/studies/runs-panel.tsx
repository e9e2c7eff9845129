"use client";

import { useEffect, useId, useState } from "react";
import { ActionForm, type FormAction } from "@/components/action-form";
import type { RunListing } from "@/lib/studies/run";

/** A run as the runs API sends it (dates as ISO strings). */
export type RunView = Omit<RunListing, "startedAt"> & { startedAt: string };

const POLL_MS = 2000;
/** After "Start", poll this long even before the run's row appears. */
const WAKE_MS = 10_000;

/** Seconds left at the pace so far: elapsed time per match finished in this run, times the matches left. */
function runEta(run: RunView, now: number): number | null {
  if (run.status !== "running") return null;
  const finished = run.completed - run.skipped + run.errored;
  const left = run.total - run.completed - run.errored;
  if (finished <= 0 || left <= 0) return null;
  const elapsed = Math.max(0, (now - Date.parse(run.startedAt)) / 1000);
  return Math.round((elapsed / finished) * left);
}

function formatSeconds(total: number): string {
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes >= 60
    ? `${Math.floor(minutes / 60)} h ${minutes % 60} min`
    : `${minutes}:${String(seconds).padStart(2, "0")}`;
}

/**
 * The study page's "Automated run" panel: start a run with an AI judge in place of participants, stop it, and
 * watch each run's progress (polled from /api/studies/<id>/runs every 2 s while a run is going).
 */
export function RunsPanel({
  studyId,
  initialRuns,
  specs,
  startAction,
  stopAction,
}: {
  studyId: string;
  initialRuns: RunView[];
  specs: readonly string[];
  startAction: FormAction;
  stopAction: FormAction;
}) {
  const [runs, setRuns] = useState(initialRuns);
  const [wakeUntil, setWakeUntil] = useState(0);
  const [pollError, setPollError] = useState<string | null>(null);
  const judgeId = useId();
  const concurrencyId = useId();
  const specsId = useId();
  const running = runs.some((run) => run.status === "running");
  const polling = running || wakeUntil > Date.now();

  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(async () => {
      try {
        const response = await fetch(`/api/studies/${encodeURIComponent(studyId)}/runs`, { cache: "no-store" });
        const body = (await response.json()) as { runs?: RunView[]; message?: string };
        if (!response.ok || !body.runs) throw new Error(body.message ?? `HTTP ${response.status}`);
        setRuns(body.runs);
        setPollError(null);
      } catch (error) {
        setPollError(`Could not refresh progress: ${error instanceof Error ? error.message : String(error)}`);
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [polling, studyId]);

  const now = Date.now();
  return (
    <div className="runs-panel">
      <ActionForm
        action={startAction}
        fields={{ studyId }}
        label="Start automated run"
        pendingLabel="Starting…"
        primary
        onDone={(state) => {
          if (state.ok) setWakeUntil(Date.now() + WAKE_MS);
        }}
      >
        <label htmlFor={judgeId}>Judge</label>
        <input id={judgeId} name="judge" defaultValue="offline:heuristic" list={specsId} required />
        <datalist id={specsId}>
          {specs
            .filter((spec) => spec !== "human")
            .map((spec) => (
              <option key={spec} value={spec} />
            ))}
        </datalist>
        <label htmlFor={concurrencyId}>Concurrency</label>
        <input id={concurrencyId} name="concurrency" type="number" min={1} max={32} defaultValue={4} required />
      </ActionForm>
      {running && <ActionForm action={stopAction} fields={{ studyId }} label="Stop run" pendingLabel="Stopping…" />}
      {pollError && <p className="error">{pollError}</p>}
      {runs.length === 0 ? (
        <p className="empty">No automated runs yet.</p>
      ) : (
        <ul className="run-list">
          {runs.map((run) => {
            const eta = runEta(run, now);
            return (
              <li key={run.runId} data-testid="run-progress" data-status={run.status}>
                <div>
                  <strong>{run.judge}</strong> — <span data-testid="run-status">{run.status}</span>
                </div>
                <progress value={run.completed} max={Math.max(1, run.total)} aria-label={`Run with ${run.judge}`} />
                <div className="run-numbers">
                  <span data-testid="run-count">
                    {run.completed} / {run.total}
                  </span>{" "}
                  done
                  {run.errored > 0 && <span className="error"> · {run.errored} errored</span>}
                  {run.skipped > 0 && <span className="muted"> · {run.skipped} done before</span>} · cost $
                  {run.costUsd.toFixed(4)}
                  {eta !== null && <> · about {formatSeconds(eta)} left</>}
                </div>
                {run.errored > 0 && run.errors.length > 0 && (
                  <ul className="run-errors" aria-label={`Why matches of the run with ${run.judge} errored`}>
                    {run.errors.map((e) => (
                      <li key={e.reason} data-testid="run-error">
                        <span className="error">{e.count} ×</span> {e.reason}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
