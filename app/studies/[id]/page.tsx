import { headers } from "next/headers";
import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { CopyField } from "@/components/studies/copy-field";
import { CorrectionsPanel } from "@/components/studies/corrections-panel";
import { ExportPanel } from "@/components/studies/export-panel";
import { PaySummary } from "@/components/studies/pay-summary";
import { RunsPanel } from "@/components/studies/runs-panel";
import { SlotFillTable } from "@/components/studies/slot-fill";
import { StudyForbidden } from "@/components/studies/study-forbidden";
import { StudySummary } from "@/components/studies/study-summary";
import { getDb } from "@/lib/db/client";
import { mayExportRawIds } from "@/lib/export/export-study";
import { canCorrectStudy, listCorrections } from "@/lib/studies/corrections";
import { getSlotFill } from "@/lib/studies/monitor";
import { canonicalJson } from "@/lib/studies/plan";
import { getStudyVersion } from "@/lib/studies/repository";
import { listRuns } from "@/lib/studies/run";
import { loadStudyForPage } from "../access";
import { studyFormOptions } from "../form-options";
import {
  addStudyMemberAction,
  correctMatchAction,
  launchStudyAction,
  setStudyStatusAction,
  startRunAction,
  stopRunAction,
} from "./actions";

export const metadata = { title: "Study — Crux" };

const PROLIFIC_QUERY = "PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}";

/** The site's own origin as the browser reached it (behind a proxy: the forwarded host and protocol). */
async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return `${proto}://${host}`;
}

/**
 * A study: its design and versions, launch and status controls, the links to share, quota, AI runs, the data's
 * downloads, members.
 */
export default async function StudyPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await loadStudyForPage(id, `/studies/${encodeURIComponent(id)}`);
  if (!access.ok) return <StudyForbidden message={access.message} />;
  const { study } = access;
  const db = getDb();
  const current = study.currentVersionId ? await getStudyVersion(db, study.currentVersionId) : null;
  const [slots, runs, { specs }, origin, corrections] = await Promise.all([
    current
      ? getSlotFill(
          db,
          current.id,
          current.frozen.config.conditions.map((c) => c.name),
        )
      : [],
    listRuns(db, study.id),
    studyFormOptions(),
    requestOrigin(),
    listCorrections(db, study.id),
  ]);
  const changed = current !== null && canonicalJson(current.frozen.config) !== canonicalJson(study.config);
  const joinUrl = `${origin}/join/${study.id}`;
  const fields = { studyId: study.id };

  return (
    <section className="studies-page">
      <p>
        <Link href="/studies">← Studies</Link>
      </p>
      <div className="page-title">
        <h1>{study.name}</h1>
        <span className={`study-status status-${study.status}`} data-testid="study-status">
          {study.status}
        </span>
      </div>
      {study.config.description && <p>{study.config.description}</p>}

      <div className="study-actions">
        {(!current || changed) && (
          <ActionForm
            action={launchStudyAction}
            fields={fields}
            label={current ? "Launch new version" : "Launch"}
            pendingLabel="Launching…"
            primary
          />
        )}
        {current && study.status === "live" && (
          <ActionForm action={setStudyStatusAction} fields={{ ...fields, status: "paused" }} label="Pause" />
        )}
        {current && study.status === "paused" && (
          <ActionForm action={setStudyStatusAction} fields={{ ...fields, status: "live" }} label="Resume" />
        )}
        {current && study.status === "closed" && (
          <ActionForm action={setStudyStatusAction} fields={{ ...fields, status: "live" }} label="Reopen" />
        )}
        {study.status !== "closed" && study.status !== "draft" && (
          <ActionForm
            action={setStudyStatusAction}
            fields={{ ...fields, status: "closed" }}
            label="Close"
            confirm="Close the study? New participants will be turned away."
          />
        )}
        <Link href={`/studies/${study.id}/edit`} className="button">
          Edit design
        </Link>
        <Link href={`/studies/${study.id}/monitor`} className="button">
          Monitor
        </Link>
        <Link href={`/studies/${study.id}/results`} className="button">
          Results
        </Link>
        <Link href={`/transcripts?study=${study.id}`} className="button">
          Transcripts
        </Link>
      </div>
      {changed && <p className="hint">The draft differs from the live version: launch a new version to use it.</p>}

      <PaySummary studyId={study.id} pay={study.config.pay} />

      <h2>Versions</h2>
      {study.versions.length === 0 ? (
        <p className="empty">Not launched yet: launching freezes the design into version 1.</p>
      ) : (
        <ul className="version-list">
          {study.versions.map((v) => (
            <li key={v.id} data-testid="study-version">
              Version {v.version}
              {v.id === study.currentVersionId && <strong> (current)</strong>} — hash{" "}
              <code title={v.configHash} data-testid="version-hash">
                {v.configHash.slice(0, 12)}
              </code>{" "}
              <span className="muted">
                launched <time dateTime={v.createdAt.toISOString()}>{v.createdAt.toISOString().slice(0, 16)}</time>
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2>Participant links</h2>
      {study.status !== "live" && <p className="hint">The links take participants only while the study is live.</p>}
      <CopyField label="Participant link" value={joinUrl} />
      <CopyField label="Prolific link" value={`${joinUrl}?${PROLIFIC_QUERY}`} />

      <h2>Slots</h2>
      <SlotFillTable slots={slots} />

      <h2>Design</h2>
      <StudySummary config={study.config} />

      <h2>Automated run</h2>
      <p className="hint">
        Every planned judgment once, judged by an AI model instead of participants. Launches the study first if needed.
      </p>
      <RunsPanel
        studyId={study.id}
        initialRuns={runs.map((run) => ({ ...run, startedAt: run.startedAt.toISOString() }))}
        specs={specs}
        startAction={startRunAction}
        stopAction={stopRunAction}
      />

      <h2>Corrections</h2>
      <CorrectionsPanel
        studyId={study.id}
        corrections={corrections}
        action={canCorrectStudy(access.user, study) ? correctMatchAction : undefined}
      />
      <h2>Export</h2>
      <p className="hint">
        Every table as CSV or JSON Lines, with a codebook describing each column. Participants' ids are per-study
        pseudonyms unless raw ids are asked for.
      </p>
      <ExportPanel studyId={study.id} mayExportRaw={mayExportRawIds(access.user, study)} />

      <h2>Researchers</h2>
      <ul>
        <li>
          {study.ownerEmail ?? "owner"} <span className="muted">(owner)</span>
        </li>
        {study.members.map((m) => (
          <li key={m.id}>{m.email ?? m.name ?? m.id}</li>
        ))}
      </ul>
      <ActionForm action={addStudyMemberAction} fields={fields} label="Add researcher">
        <label htmlFor="member-email" className="visually-hidden">
          Researcher's email
        </label>
        <input id="member-email" name="email" type="email" placeholder="colleague@example.org" required />
      </ActionForm>
    </section>
  );
}
