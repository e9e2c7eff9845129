import Link from "next/link";
import { StudyForm } from "@/components/studies/study-form";
import { requireRole } from "@/lib/auth/session";
import { createStudyAction } from "../actions";
import { studyFormOptions } from "../form-options";

export const metadata = { title: "New study — Crux" };

/** Researcher: design a study (a draft until launched). */
export default async function NewStudyPage() {
  await requireRole("researcher", { callbackUrl: "/studies/new" });
  const { sources, models } = await studyFormOptions();
  return (
    <section className="studies-page">
      <p>
        <Link href="/studies">← Studies</Link>
      </p>
      <h1>New study</h1>
      <p className="muted">
        A draft until you launch it. Launching freezes the design into a version; you can edit and launch again later.
      </p>
      <StudyForm action={createStudyAction} sources={sources} models={models} submitLabel="Create study" />
    </section>
  );
}
