"use client";

import { useCallback, useState } from "react";
import type { EndPhase } from "@/lib/debate/view";
import { JudgeRoom } from "../judge-room";
import { type StepAction, StepForm, type StepName } from "./step-form";

/**
 * A study match: the live judge room, then — once the verdict is in (or the match stopped) — the button that moves
 * the participant on. Keyed by match id where used, so the next match starts from a fresh room.
 */
export function StudyMatch({
  action,
  studyId,
  matchId,
  complete,
  errored = false,
  step,
  continueLabel,
}: {
  action: StepAction;
  studyId: string;
  matchId: string;
  /** Already over when the page was rendered (a reload after the verdict). */
  complete: boolean;
  /** Already stopped on our side when the page was rendered. */
  errored?: boolean;
  step: Extract<StepName, "practice" | "qualification" | "next">;
  continueLabel: string;
}) {
  const [outcome, setOutcome] = useState<EndPhase | null>(complete ? "complete" : errored ? "errored" : null);
  const onEnd = useCallback((ended: EndPhase) => setOutcome(ended), []);
  return (
    <div data-testid="study-match" data-match-id={matchId}>
      <JudgeRoom matchId={matchId} onEnd={onEnd} />
      {outcome && (
        <section className="participant-next" aria-label="Continue the study">
          {outcome === "errored" && (
            <p data-testid="match-stopped-notice">
              This match stopped before the end because of a technical problem on our side. That is not your fault
              {step === "next" ? ": it counts as done, and you can go on to the next match." : ", and you can go on."}
            </p>
          )}
          <StepForm action={action} studyId={studyId} step={step} submitLabel={continueLabel} />
        </section>
      )}
    </div>
  );
}
