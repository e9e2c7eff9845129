import { describe, expect, it } from "vitest";
import {
  DEFAULT_INSTRUCTIONS,
  participantInstructions,
  studyConfigSchema,
  TIMED_KEEP_NOTE,
  TIMED_SUBMIT_NOTE,
} from "./config";

describe("participant instructions", () => {
  const design = (conditions: object[]) => studyConfigSchema.parse({ name: "Timed", conditions });

  it("are the study's text alone when no human step is timed", () => {
    expect(participantInstructions(design([{ name: "debate", protocol: "debate" }]))).toBe(DEFAULT_INSTRUCTIONS);
    const aiOnly = design([{ name: "ai", protocol: "debate", judge: "offline:heuristic", judgeTimeLimitSeconds: 60 }]);
    expect(participantInstructions(aiOnly)).toBe(DEFAULT_INSTRUCTIONS);
  });

  it("say that the slider's answer is submitted when time runs out (the default), or that it is not", () => {
    const timed = design([{ name: "debate", protocol: "debate", judgeTimeLimitSeconds: 60 }]);
    expect(timed.conditions[0]?.submitDraftOnTimeout).toBe(true);
    expect(participantInstructions(timed)).toBe(`${DEFAULT_INSTRUCTIONS}\n\n${TIMED_SUBMIT_NOTE}`);
    const keep = design([
      { name: "debate", protocol: "debate", judgeTimeLimitSeconds: 60, submitDraftOnTimeout: false },
    ]);
    expect(participantInstructions(keep)).toBe(`${DEFAULT_INSTRUCTIONS}\n\n${TIMED_KEEP_NOTE}`);
  });

  it("end with the pay and the bonus rule when the study states them", () => {
    const pay = { basePay: 5, currency: "USD", bonus: { perPoint: 1, floor: 0.25, cap: 2 } } as const;
    const paid = studyConfigSchema.parse({ name: "Paid", conditions: [{ name: "d", protocol: "debate" }], pay });
    expect(participantInstructions(paid)).toContain(
      `${paid.instructions}\n\nYou earn US$5.00 for completing the study, plus a bonus of US$1.00 for every point ` +
        "your average match score is above 0.25, up to US$2.00.",
    );
  });
});
