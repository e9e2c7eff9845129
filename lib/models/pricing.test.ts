import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  BUILT_IN_PRICES,
  costOf,
  DEFAULT_PRICES_FILE,
  findPrice,
  loadPriceTable,
  PriceTableError,
  parsePriceTable,
} from "./pricing";

const table = parsePriceTable(
  {
    source: "test prices",
    checked: "2026-01-01",
    models: {
      "openai:gpt-4o": { input: 2.5, output: 10 },
      "openai:gpt-4o-mini": { input: 0.15, output: 0.6 },
      "openai:gpt-4o-2024-05-13": { input: 5, output: 15 },
      "anthropic:claude-opus-4": { input: 15, output: 75 },
      "anthropic:claude-3-5-sonnet": { input: 3, output: 15 },
      "openai-compatible:openrouter/*": { input: 1, output: 2 },
      "openai-compatible:openrouter/anthropic/*": { input: 4, output: 8 },
    },
  },
  "test",
);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-prices-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function priceFile(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe("costOf", () => {
  it("computes input and output cost per million tokens (hand-computed)", () => {
    // 1,000,000 × 2.5 / 1e6 + 200,000 × 10 / 1e6 = 2.5 + 2 = 4.5
    expect(costOf("openai:gpt-4o", { inputTokens: 1_000_000, outputTokens: 200_000 }, table)).toBeCloseTo(4.5, 12);
    // 1,234 × 0.15 / 1e6 + 567 × 0.6 / 1e6 = 0.0001851 + 0.0003402 = 0.0005253
    expect(costOf("openai:gpt-4o-mini", { inputTokens: 1234, outputTokens: 567 }, table)).toBeCloseTo(0.0005253, 12);
    // 3,000 × 15 / 1e6 + 500 × 75 / 1e6 = 0.045 + 0.0375 = 0.0825
    expect(costOf("anthropic:claude-opus-4", { inputTokens: 3000, outputTokens: 500 }, table)).toBeCloseTo(0.0825, 12);
    expect(costOf("openai:gpt-4o", { inputTokens: 0, outputTokens: 0 }, table)).toBe(0);
  });

  it("is null (unknown, not zero) for a model without a price", () => {
    expect(costOf("openai:gpt-9", { inputTokens: 10, outputTokens: 10 }, table)).toBeNull();
    expect(costOf("anthropic:claude-opus-4-7", { inputTokens: 10, outputTokens: 10 }, table)).toBeNull();
  });

  it("is null when a priced token count is missing or not a count", () => {
    expect(costOf("openai:gpt-4o", { inputTokens: 100 }, table)).toBeNull();
    expect(costOf("openai:gpt-4o", { outputTokens: 100 }, table)).toBeNull();
    expect(costOf("openai:gpt-4o", {}, table)).toBeNull();
    expect(costOf("openai:gpt-4o", { inputTokens: -1, outputTokens: 1 }, table)).toBeNull();
    expect(costOf("openai:gpt-4o", { inputTokens: Number.NaN, outputTokens: 1 }, table)).toBeNull();
  });

  it("is 0 for offline models and OpenAI-compatible servers, whatever the usage", () => {
    expect(costOf("offline:extractive", { inputTokens: 5000, outputTokens: 300 }, table)).toBe(0);
    expect(costOf("offline:heuristic", {}, table)).toBe(0);
    expect(costOf("openai-compatible:local/llama-3.1-8b", { inputTokens: 5000, outputTokens: 300 }, table)).toBe(0);
  });
});

describe("findPrice", () => {
  it("prefers the exact key", () => {
    expect(findPrice("openai:gpt-4o-2024-05-13", table)).toMatchObject({ key: "openai:gpt-4o-2024-05-13", input: 5 });
    expect(findPrice("openai:gpt-4o-mini", table)?.key).toBe("openai:gpt-4o-mini");
  });

  it.each([
    ["openai:gpt-4o-2024-08-06", "openai:gpt-4o"],
    ["openai:gpt-4o-mini-2024-07-18", "openai:gpt-4o-mini"],
    ["anthropic:claude-3-5-sonnet-20241022", "anthropic:claude-3-5-sonnet"],
    ["anthropic:claude-3-5-sonnet-latest", "anthropic:claude-3-5-sonnet"],
    ["anthropic:claude-3-5-sonnet@20241022", "anthropic:claude-3-5-sonnet"],
    ["openai:gpt-4o-0613", "openai:gpt-4o"],
  ])("matches the snapshot %s to %s", (spec, key) => {
    expect(findPrice(spec, table)?.key).toBe(key);
  });

  it("does not match a different model that merely shares a prefix", () => {
    expect(findPrice("openai:gpt-4o-audio-preview", table)).toBeNull();
    expect(findPrice("openai:gpt-4omni", table)).toBeNull();
    expect(findPrice("anthropic:claude-opus-4-5", table)).toBeNull();
    expect(findPrice("anthropic:claude-opus", table)).toBeNull();
    expect(findPrice("azure:gpt-4o", table)).toBeNull();
  });

  it("matches the longest wildcard prefix, and wildcard keys override the built-ins", () => {
    expect(findPrice("openai-compatible:openrouter/openai/gpt-4o", table)).toMatchObject({
      key: "openai-compatible:openrouter/*",
      input: 1,
    });
    expect(findPrice("openai-compatible:openrouter/anthropic/claude-3.5-sonnet", table)?.key).toBe(
      "openai-compatible:openrouter/anthropic/*",
    );
    expect(findPrice("openai-compatible:vllm/qwen", table)?.key).toBe("openai-compatible:*");
  });
});

describe("loadPriceTable", () => {
  it("loads and validates the shipped price file, with its provenance", () => {
    const shipped = loadPriceTable();
    expect(shipped.origin).toBe(DEFAULT_PRICES_FILE);
    expect(shipped.source).toMatch(/not truth/);
    expect(shipped.checked).toBeTruthy();
    for (const spec of [
      "openai:gpt-4o",
      "openai:gpt-4o-mini",
      "openai:gpt-4.1",
      "openai:gpt-4.1-mini",
      "openai:o3-mini",
      "anthropic:claude-3-5-sonnet",
      "anthropic:claude-3-5-haiku",
      "anthropic:claude-sonnet-4",
      "anthropic:claude-opus-4",
    ]) {
      expect(findPrice(spec, shipped)?.key, spec).toBe(spec);
    }
    // 10,000 × 2.5 / 1e6 + 1,000 × 10 / 1e6 = 0.025 + 0.01
    expect(costOf("openai:gpt-4o-2024-08-06", { inputTokens: 10_000, outputTokens: 1000 }, shipped)).toBeCloseTo(
      0.035,
      12,
    );
    expect(costOf("anthropic:claude-sonnet-4-20250514", { inputTokens: 1e6, outputTokens: 1e6 }, shipped)).toBe(18);
    expect(costOf("offline:extractive", {}, shipped)).toBe(0);
  });

  it("replaces the whole table with an override file (built-ins stay)", () => {
    const file = priceFile(
      "override.json",
      JSON.stringify({ source: "ours", models: { "openai:my-model": { input: 1, output: 1 } } }),
    );
    const override = loadPriceTable(file);
    expect(override.origin).toBe(file);
    expect(costOf("openai:my-model", { inputTokens: 1e6, outputTokens: 1e6 }, override)).toBe(2);
    expect(costOf("openai:gpt-4o", { inputTokens: 1, outputTokens: 1 }, override)).toBeNull();
    expect(Object.keys(BUILT_IN_PRICES).every((key) => key in override.models)).toBe(true);
  });

  it.each([
    ["not JSON", "{ models: ", /is not valid JSON/],
    ["no source", JSON.stringify({ models: {} }), /\."source": expected a "source" note/],
    [
      "a negative price",
      JSON.stringify({ source: "s", models: { "openai:x": { input: -1, output: 1 } } }),
      /\."models"\."openai:x"\."input": must not be negative/,
    ],
    [
      "a price that is not a number",
      JSON.stringify({ source: "s", models: { "openai:x": { input: "2.5", output: 1 } } }),
      /\."input": expected a number/,
    ],
    [
      "a missing output price",
      JSON.stringify({ source: "s", models: { "openai:x": { input: 1 } } }),
      /\."output": expected a number/,
    ],
    [
      "a key that is not a spec",
      JSON.stringify({ source: "s", models: { "gpt-4o": { input: 1, output: 1 } } }),
      /keys are model specs such as "openai:gpt-4o"/,
    ],
    ["a misspelt field", JSON.stringify({ source: "s", models: { "openai:x": { input: 1, outptu: 1 } } }), /"outptu"/],
    ["another currency", JSON.stringify({ source: "s", currency: "EUR", models: {} }), /only "USD" is supported/],
  ])("rejects a file with %s, naming the file and the field", (_, content, message) => {
    const file = priceFile("bad.json", content);
    expect(() => loadPriceTable(file)).toThrow(PriceTableError);
    expect(() => loadPriceTable(file)).toThrow(message);
    expect(() => loadPriceTable(file)).toThrow(file);
  });

  it("says when the file cannot be read", () => {
    const missing = path.join(dir, "missing.json");
    expect(() => loadPriceTable(missing)).toThrow(`cannot read model price file ${missing}`);
  });
});
