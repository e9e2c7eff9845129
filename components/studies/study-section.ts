import type { StudyConfigPath } from "@/lib/studies/config-paths";
import type { StudyDraft } from "./study-draft";

/** What each section of the design form is given: the draft, a way to change it, and the messages at a path. */
export interface SectionProps {
  draft: StudyDraft;
  update: (patch: Partial<StudyDraft>) => void;
  /** The server's messages for the field at `path` (typed from the study schema), from the last attempt. */
  errorsAt: (path: StudyConfigPath) => string[];
}
