import { describe, expect, it } from "vitest";
import { participantIntentSchema } from "./participants";
import {
  EXCLUDED_PARTICIPANT_STATUSES,
  PARTICIPANT_STATUSES,
  PARTICIPANT_STEPS,
  SETTABLE_STUDY_STATUSES,
  STUDY_STATUSES,
  settableStudyStatusSchema,
  studyStatusSchema,
} from "./vocabulary";

describe("study vocabularies", () => {
  it("has one participant intent per step, and no other", () => {
    const steps = participantIntentSchema.options.map((option) => option.shape.step.value);
    expect([...steps].sort()).toEqual([...PARTICIPANT_STEPS].sort());
  });

  it("derives its sets from the lists they belong to", () => {
    for (const status of SETTABLE_STUDY_STATUSES) expect(STUDY_STATUSES).toContain(status);
    for (const status of EXCLUDED_PARTICIPANT_STATUSES) expect(PARTICIPANT_STATUSES).toContain(status);
  });

  it("knows imported datasets, a status no researcher may set", () => {
    expect(studyStatusSchema.parse("imported")).toBe("imported");
    expect(settableStudyStatusSchema.safeParse("imported").success).toBe(false);
    expect(settableStudyStatusSchema.safeParse("draft").error?.issues[0]?.message).toBe(
      "Choose live, paused or closed.",
    );
  });
});
