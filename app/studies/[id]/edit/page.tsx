import Link from "next/link";
import { StudyForbidden } from "@/components/studies/study-forbidden";
import { StudyForm } from "@/components/studies/study-form";
import { loadStudyForPage } from "../../access";
import { updateStudyAction } from "../../actions";
import { studyFormOptions } from "../../form-options";

export const metadata = { title: "Edit study — Crux" };

/** Edit a study's draft design (launched versions stay as they were frozen). */
export default async function EditStudyPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await loadStudyForPage(id, `/studies/${encodeURIComponent(id)}/edit`);
  if (!access.ok) return <StudyForbidden message={access.message} />;
  const { study } = access;
  const { sources, models } = await studyFormOptions();
  return (
    <section className="studies-page">
      <p>
        <Link href={`/studies/${study.id}`}>← {study.name}</Link>
      </p>
      <h1>Edit design</h1>
      {study.currentVersionId && (
        <p className="muted">
          Participants keep the launched version until you launch again from the study page; nothing changes for them
          when you save.
        </p>
      )}
      <StudyForm
        action={updateStudyAction.bind(null, study.id)}
        initial={study.config}
        sources={sources}
        models={models}
        submitLabel="Save design"
      />
    </section>
  );
}
