import { describe, expect, it } from "vitest";
import { surveyQuestionSchema } from "./config";
import { surveyIdFrom } from "./survey-ids";

describe("survey ids made from the question", () => {
  it("keeps the words that say what is asked, in a form the schema accepts", () => {
    expect(surveyIdFrom("How confident were you?")).toBe("confident");
    expect(surveyIdFrom("Did you read the whole story?")).toBe("read_whole_story");
    expect(surveyIdFrom("2 + 2 = ?")).toBe("q_2_2");
    expect(surveyIdFrom("")).toBe("question");
    expect(surveyIdFrom("Überraschend? Ja!")).toBe("uberraschend_ja");
    const long = surveyIdFrom("Please describe in detail everything you noticed about the arguments of the debaters");
    expect(long.length).toBeLessThanOrEqual(40);
    for (const id of [long, surveyIdFrom("2 + 2 = ?"), surveyIdFrom("Überraschend? Ja!")])
      expect(surveyQuestionSchema.shape.id.safeParse(id).success).toBe(true);
  });

  it("differs from the ids already taken", () => {
    expect(surveyIdFrom("How confident were you?", ["confident"])).toBe("confident_2");
    expect(surveyIdFrom("How confident were you?", ["confident", "confident_2"])).toBe("confident_3");
  });
});
