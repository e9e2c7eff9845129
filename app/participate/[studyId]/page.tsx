import type { Metadata } from "next";
import { Heartbeat } from "@/components/participant/browser-effects";
import { Completion } from "@/components/participant/completion";
import {
  CheckStep,
  ConsentStep,
  InstructionsStep,
  MatchesStep,
  PracticeStep,
  QualificationStep,
} from "@/components/participant/steps";
import { SurveyStep } from "@/components/participant/survey-step";
import { getCurrentUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { getParticipantView } from "@/lib/studies/participants";
import { advanceStepAction, stillHereAction } from "./actions";

export const metadata: Metadata = { title: "Taking part in a study — Crux" };

/**
 * A participant's page: whatever step of the study they are at, from the server's state machine, so a reload, a
 * second tab or coming back later with the same link lands on the right step. Rendering only reads; every change
 * goes through the step action. Anyone who is not a participant of this study gets a notice and no study data.
 */
export default async function ParticipatePage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  const view = await getParticipantView(getDb(), await getCurrentUser(), studyId);
  if (!view) {
    return (
      <section className="notice">
        <h1>Open your study link to take part</h1>
        <p>
          This page belongs to a research study. To take part, open the link you were given (for example on Prolific) in
          this browser.
        </p>
      </section>
    );
  }
  const props = { view, action: advanceStepAction };
  return (
    <div className="participant">
      <p className="muted participant-study">{view.studyName}</p>
      {view.stage !== "done" && <Heartbeat ping={stillHereAction} />}
      {view.stage === "consent" && <ConsentStep {...props} />}
      {view.stage === "instructions" && <InstructionsStep {...props} />}
      {view.stage === "check" && <CheckStep {...props} />}
      {view.stage === "practice" && <PracticeStep {...props} />}
      {view.stage === "qualification" && <QualificationStep {...props} />}
      {view.stage === "matches" && <MatchesStep {...props} />}
      {view.stage === "survey" && <SurveyStep {...props} />}
      {view.stage === "done" && <Completion view={view} />}
    </div>
  );
}
