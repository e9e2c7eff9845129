import Link from "next/link";
import { StudyForbidden } from "@/components/studies/study-forbidden";
import { StudyMonitorView } from "@/components/studies/study-monitor";
import { getDb } from "@/lib/db/client";
import { getStudyMonitor } from "@/lib/studies/monitor";
import { loadStudyForPage } from "../../access";
import { endMatchAction, reassignSlotAction, removeParticipantAction } from "../actions";

export const metadata = { title: "Monitor — Crux" };

/** The live monitor of a study's participants (refreshed every 3 s in the browser), with the researcher's actions. */
export default async function StudyMonitorPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await loadStudyForPage(id, `/studies/${encodeURIComponent(id)}/monitor`);
  if (!access.ok) return <StudyForbidden message={access.message} />;
  const { study } = access;
  const monitor = await getStudyMonitor(getDb(), study.id);
  return (
    <section className="studies-page">
      <p>
        <Link href={`/studies/${study.id}`}>← {study.name}</Link>
      </p>
      <h1>Monitor</h1>
      <StudyMonitorView
        studyId={study.id}
        initial={monitor}
        endMatch={endMatchAction}
        reassignSlot={reassignSlotAction}
        removeParticipant={removeParticipantAction}
      />
    </section>
  );
}
