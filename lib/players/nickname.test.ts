import { describe, expect, it } from "vitest";
import { nicknameKey, nicknameSchema } from "./nickname";

describe("nicknameSchema", () => {
  it("accepts letters, digits, single spaces, _ - and ., trimmed", () => {
    for (const name of ["Ada", "  judge_42 ", "Zoë Q", "a-b.c_d", "評価者123"]) {
      expect(nicknameSchema.safeParse(name).success, name).toBe(true);
    }
    expect(nicknameSchema.parse("  Ada  ")).toBe("Ada");
  });

  it("refuses emails, odd characters, double spaces, reserved names and bad lengths", () => {
    for (const name of [
      "me@example.com",
      "ab",
      "x".repeat(25),
      "two  spaces",
      "-dash",
      "dot.",
      "<b>",
      "Admin",
      "C.R.U.X",
    ]) {
      expect(nicknameSchema.safeParse(name).success, name).toBe(false);
    }
  });

  it("folds case for uniqueness", () => {
    expect(nicknameKey(" Ada ")).toBe(nicknameKey("ada"));
  });
});
