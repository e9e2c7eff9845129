import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zodErrorMessage, zodFieldErrors, zodIssueMessages } from "./errors";

const schema = z.strictObject({
  name: z.string().min(1, "Enter a name."),
  rounds: z.number().int().max(10, "At most 10 rounds."),
  seats: z.object({ a: z.string("Seat A needs a model.") }),
  prices: z.record(z.string().regex(/^[a-z]+$/, "lowercase keys only"), z.number()).optional(),
});

function failure(input: unknown): z.ZodError {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected a failure");
  return parsed.error;
}

describe("zod error messages", () => {
  const error = failure({ name: "", rounds: 11, seats: {} });

  it("words every problem as path: message, joined with semicolons", () => {
    expect(zodErrorMessage(error)).toBe(
      "name: Enter a name.; rounds: At most 10 rounds.; seats.a: Seat A needs a model.",
    );
  });

  it("keeps the first or the first few, with or without the path, and names the CLI's options", () => {
    expect(zodErrorMessage(error, { first: true })).toBe("name: Enter a name.");
    expect(zodErrorMessage(error, { first: true, path: false })).toBe("Enter a name.");
    expect(zodIssueMessages(error, { limit: 2 })).toHaveLength(2);
    expect(zodErrorMessage(error, { limit: 2, path: (p) => `--${String(p[0])}` })).toBe(
      "--name: Enter a name.; --rounds: At most 10 rounds.",
    );
  });

  it("names the whole input with root, and explains a bad record key", () => {
    expect(zodErrorMessage(failure("nope"), { root: "body" })).toMatch(/^body: /);
    expect(zodErrorMessage(failure("nope"))).not.toMatch(/^: /);
    const badKey = failure({ name: "x", rounds: 1, seats: { a: "m" }, prices: { Bad: 1 } });
    expect(zodErrorMessage(badKey)).toBe("prices.Bad: lowercase keys only");
  });

  it("gives the first message of each field for forms", () => {
    expect(zodFieldErrors(error)).toEqual({
      name: "Enter a name.",
      rounds: "At most 10 rounds.",
      "seats.a": "Seat A needs a model.",
    });
    expect(zodFieldErrors(failure({ name: "x", rounds: 1, seats: { a: "m" }, extra: 1 }))).toHaveProperty("form");
  });
});
