import { describe, expect, it } from "vitest";
import { participantInstructions, studyConfigSchema, TIMED_KEEP_NOTE, TIMED_SUBMIT_NOTE } from "./config";
import { defaultInstructions } from "./instructions";

const DEFAULT_INSTRUCTIONS = defaultInstructions(["debate"]);

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

describe("default instructions", () => {
  const design = (protocols: string[], instructions?: string) =>
    studyConfigSchema.parse({
      name: "Protocols",
      conditions: protocols.map((protocol, index) => ({ name: `c${index}`, protocol })),
      ...(instructions === undefined ? {} : { instructions }),
    });

  it("follow the protocol: only debates speak of two debaters", () => {
    expect(design(["debate"]).instructions).toMatch(/^Two AI debaters argue/);
    expect(design(["interactive"]).instructions).toContain("you may ask them a question");
    for (const protocol of ["consultancy", "naive", "expert"]) {
      expect(design([protocol]).instructions).not.toMatch(/two AI debaters|debaters/i);
    }
    expect(design(["consultancy"]).instructions).toMatch(/^One AI consultant argues for one of the two answers/);
    expect(design(["consultancy"]).instructions).toContain("half the time the wrong one");
    expect(design(["naive"]).instructions).toContain("a story you cannot read");
    expect(design(["expert"]).instructions).toContain("you may read the story itself");
    for (const protocol of ["debate", "interactive", "consultancy", "naive", "expert"])
      expect(design([protocol]).instructions).toMatch(/You score more for confident correct answers/);
  });

  it("describe each kind of match when the conditions mix protocols, each once", () => {
    const text = design(["consultancy", "naive", "consultancy"]).instructions;
    expect(text).toMatch(/^Your matches come in different kinds/);
    expect(text.match(/^Consultancy: One AI consultant/gm)).toHaveLength(1);
    expect(text).toMatch(/^No help \(naive judge\): You see a question/m);
  });

  it("are the researcher's own when given", () => {
    expect(design(["consultancy"], "Read carefully.").instructions).toBe("Read carefully.");
  });
});
