"use client";

import { useCallback, useEffect, useState } from "react";
import { ActionForm, type ActionState, type FormAction } from "@/components/action-form";
import type { MonitorParticipant, ProblemMatch, StudyMonitor } from "@/lib/studies/monitor";
import { SlotFillTable } from "./slot-fill";

const POLL_MS = 3000;

/** m:ss (or h:mm:ss) of a number of seconds. */
function clock(total: number): string {
  const s = Math.max(0, Math.floor(total));
  const pad = (n: number) => String(n).padStart(2, "0");
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return hours ? `${hours}:${pad(minutes)}:${pad(s % 60)}` : `${pad(minutes)}:${pad(s % 60)}`;
}

/**
 * How long ago, from `now`. Older than an hour: the UTC time, written the same on the server and in every browser
 * (a locale or time zone of the browser's own would make the first render differ from the server's: React #418).
 */
function ago(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const who = (p: { externalId: string | null; ordinal: number }) => p.externalId ?? `Participant #${p.ordinal + 1}`;

/**
 * The monitor: participants with where they are and how long they have been there, slot fill, and matches that
 * need a look, refreshed from /api/studies/<id>/monitor every 3 s; End match, Reassign slot and Remove participant
 * call the study's server actions after a confirmation.
 */
export function StudyMonitorView({
  studyId,
  initial,
  endMatch,
  reassignSlot,
  removeParticipant,
}: {
  studyId: string;
  initial: StudyMonitor;
  endMatch: FormAction;
  reassignSlot: FormAction;
  removeParticipant: FormAction;
}) {
  const [monitor, setMonitor] = useState(initial);
  // The first render reckons from the server's clock, as the server's render did, so the two agree (React #418
  // otherwise); the browser's clock takes over once mounted.
  const [fetchedAt, setFetchedAt] = useState(() => Date.parse(initial.generatedAt));
  const [now, setNow] = useState(() => Date.parse(initial.generatedAt));
  const [error, setError] = useState<string | null>(null);
  // The last action's answer, shown above the table: the form that sent it may vanish with the next refresh.
  const [notice, setNotice] = useState<ActionState | null>(null);

  const refresh = useCallback(async () => {
    try {
      const response = await fetch(`/api/studies/${encodeURIComponent(studyId)}/monitor`, { cache: "no-store" });
      const body = (await response.json()) as StudyMonitor & { message?: string };
      if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
      setMonitor(body);
      setFetchedAt(Date.now());
      setError(null);
    } catch (err) {
      setError(`Could not refresh: ${err instanceof Error ? err.message : String(err)}`);
    }
  }, [studyId]);

  useEffect(() => {
    setFetchedAt(Date.now());
    setNow(Date.now());
    const poll = setInterval(() => void refresh(), POLL_MS);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      clearInterval(poll);
      clearInterval(tick);
    };
  }, [refresh]);

  const sinceFetch = Math.max(0, (now - fetchedAt) / 1000);
  const stuck = new Set(monitor.stuck.map((m) => m.id));
  const errored = new Set(monitor.errored.map((m) => m.id));
  const actionProps = {
    onDone: (state: ActionState) => {
      setNotice(state);
      void refresh();
    },
    small: true,
    showStatus: false,
  };
  const online = monitor.participants.filter((p) => p.online).length;

  if (!monitor.version)
    return <p className="empty">Not launched yet: launch the study, then share its link with participants.</p>;
  return (
    <div className="study-monitor">
      <p className="muted" aria-live="polite">
        Version {monitor.version.number} · {count(monitor.participants.length, "participant", "participants")}, {online}{" "}
        online · updated {Math.round(sinceFetch)} s ago
      </p>
      {error && <p className="error">{error}</p>}
      <p className={notice?.ok === false ? "error" : "hint"} role="status" data-testid="monitor-notice">
        {notice?.message ?? ""}
      </p>

      <h2>Participants</h2>
      {monitor.participants.length === 0 ? (
        <p className="empty">
          No participants yet — share the link from the <a href={`/studies/${studyId}`}>study page</a>.
        </p>
      ) : (
        <table className="studies-table monitor-table">
          <thead>
            <tr>
              <th scope="col">Participant</th>
              <th scope="col">Stage</th>
              <th scope="col">Match</th>
              <th scope="col">Condition</th>
              <th scope="col">Round</th>
              <th scope="col">On step</th>
              <th scope="col">Last seen</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {monitor.participants.map((p) => (
              <ParticipantRow
                key={p.id}
                participant={p}
                flag={p.current && (errored.has(p.current.id) ? "errored" : stuck.has(p.current.id) ? "stuck" : null)}
                now={now}
                sinceFetch={sinceFetch}
                studyId={studyId}
                actions={{ endMatch, reassignSlot, removeParticipant }}
                actionProps={actionProps}
              />
            ))}
          </tbody>
        </table>
      )}

      <h2>Slots</h2>
      <SlotFillTable slots={monitor.slots} />

      <h2>Needs a look</h2>
      {monitor.errorReasons.length > 0 && (
        <>
          <h3>Why matches errored</h3>
          <ul className="problem-list" data-testid="error-reasons">
            {monitor.errorReasons.map((r) => (
              <li key={r.reason} className="row-errored">
                <strong className="error">{r.count} ×</strong> {r.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {monitor.stuck.length === 0 && monitor.errored.length === 0 ? (
        <p className="empty">No stuck or errored matches.</p>
      ) : (
        <ul className="problem-list">
          {monitor.stuck.map((m) => (
            <ProblemItem key={m.id} match={m} kind="stuck" studyId={studyId} endMatch={endMatch} {...actionProps} />
          ))}
          {monitor.errored.map((m) => (
            <ProblemItem key={m.id} match={m} kind="errored" studyId={studyId} endMatch={endMatch} {...actionProps} />
          ))}
        </ul>
      )}
    </div>
  );
}

function ParticipantRow({
  participant: p,
  flag,
  now,
  sinceFetch,
  studyId,
  actions,
  actionProps,
}: {
  participant: MonitorParticipant;
  flag: "stuck" | "errored" | null;
  now: number;
  sinceFetch: number;
  studyId: string;
  actions: { endMatch: FormAction; reassignSlot: FormAction; removeParticipant: FormAction };
  actionProps: { onDone: (state: ActionState) => void; small: boolean; showStatus: boolean };
}) {
  const name = who(p);
  const current = p.current;
  const k = current && !current.practice ? Math.min(p.done + 1, p.total) : p.done;
  return (
    <tr data-testid="participant-row" className={flag ? `row-${flag}` : undefined}>
      <th scope="row">
        <span
          className={`online-dot${p.online ? " online" : ""}`}
          role="img"
          aria-label={p.online ? "online" : "offline"}
        />{" "}
        {name}
      </th>
      <td>
        {p.stage}
        {p.status !== "active" && <span className="muted"> ({p.status})</span>}
      </td>
      <td>
        {current?.practice ? "practice" : `${k} of ${p.total}`}
        {current && current.status !== "running" && <span className="muted"> ({current.status})</span>}
        {flag && <strong className="error"> {flag}</strong>}
      </td>
      <td>{current?.condition ?? "—"}</td>
      <td>{current ? `${current.round}${current.rounds ? ` of ${current.rounds}` : ""}` : "—"}</td>
      <td>{current ? clock(current.secondsOnStep + sinceFetch) : "—"}</td>
      <td>
        <time dateTime={p.lastSeenAt}>{ago(p.lastSeenAt, now)}</time>
      </td>
      <td>
        <div className="monitor-actions">
          {current && (
            <ActionForm
              action={actions.endMatch}
              fields={{ studyId, matchId: current.id }}
              label="End match"
              accessibleName={`End match of ${name}`}
              confirm={`End ${name}'s current match? It is kept as abandoned and its slot reopens.`}
              {...actionProps}
            />
          )}
          {current?.slotId && (
            <ActionForm
              action={actions.reassignSlot}
              fields={{ studyId, slotId: current.slotId }}
              label="Reassign slot"
              accessibleName={`Reassign slot of ${name}`}
              confirm={`Take this slot back from ${name}? Their match ends; they get another on their next step.`}
              {...actionProps}
            />
          )}
          {p.status === "active" && (
            <ActionForm
              action={actions.removeParticipant}
              fields={{ studyId, participantId: p.id }}
              label="Remove"
              accessibleName={`Remove ${name}`}
              confirm={`Remove ${name} from the study? They get the "removed" completion code.`}
              {...actionProps}
            />
          )}
        </div>
      </td>
    </tr>
  );
}

function ProblemItem({
  match,
  kind,
  studyId,
  endMatch,
  onDone,
  small,
  showStatus,
}: {
  match: ProblemMatch;
  kind: "stuck" | "errored";
  studyId: string;
  endMatch: FormAction;
  onDone: (state: ActionState) => void;
  small: boolean;
  showStatus: boolean;
}) {
  return (
    <li className={`row-${kind}`} data-testid={`${kind}-match`}>
      <strong>{kind}</strong> {match.condition ?? "practice"} match <code>{match.id.slice(-8)}</code> ({match.status},{" "}
      {match.participantId ? "participant" : "automated run"}) — idle {clock(match.secondsIdle)}
      {match.error && <span className="error"> — {match.error}</span>}
      {kind === "stuck" && (
        <ActionForm
          action={endMatch}
          fields={{ studyId, matchId: match.id }}
          label="End match"
          accessibleName={`End stuck match ${match.id.slice(-8)}`}
          confirm="End this match? It is kept as abandoned and its slot reopens."
          onDone={onDone}
          small={small}
          showStatus={showStatus}
        />
      )}
    </li>
  );
}
