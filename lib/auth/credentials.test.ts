import { describe, expect, it } from "vitest";
import { callbackUrlSchema, sameSitePath } from "./credentials";

describe("callbackUrlSchema", () => {
  it("keeps paths on this site, normalised", () => {
    expect(callbackUrlSchema.parse("/studies/abc?tab=runs#live")).toBe("/studies/abc?tab=runs#live");
    expect(callbackUrlSchema.parse("/observe/x%20y")).toBe("/observe/x%20y");
    expect(callbackUrlSchema.parse("/a/../admin/users")).toBe("/admin/users");
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "/\n/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "",
    "/%E0%A4%A",
  ])("sends %j home instead of off the site", (value) => {
    expect(sameSitePath(value)).toBeUndefined();
    expect(callbackUrlSchema.parse(value)).toBe("/");
  });

  it("falls back to home for anything that is not a string or is too long", () => {
    expect(callbackUrlSchema.parse(undefined)).toBe("/");
    expect(callbackUrlSchema.parse(42)).toBe("/");
    expect(callbackUrlSchema.parse(`/${"a".repeat(2001)}`)).toBe("/");
  });
});
