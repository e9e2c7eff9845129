import { describe, expect, it } from "vitest";
import { zodIssueMessages } from "../errors";
import { providersFromEnv } from "../models/providers/config";
import { studyConfigSchema, studyDesignSchema } from "./config";
import { parseStudyFile } from "./file";
import { studyModelProblems } from "./repository";

const design = (condition: Record<string, unknown>) => ({
  name: "Models",
  conditions: [{ name: "one", protocol: "debate", ...condition }],
});

describe("a design's models", () => {
  it("refuses, at each field, a spec no server could call; stored designs still read with the plain schema", () => {
    const bad = design({ debaters: "gpt9000", judge: "foo:bar" });
    const parsed = studyDesignSchema.safeParse(bad);
    if (parsed.success) throw new Error("expected the design to be refused");
    expect(zodIssueMessages(parsed.error)).toEqual([
      "conditions.0.debaters: `gpt9000` is not a model spec — write provider:model, e.g. openai:gpt-4o-mini",
      "conditions.0.judge: `foo:bar` — unknown provider `foo` (known: offline, openai, anthropic, openai-compatible)",
    ]);
    expect(studyConfigSchema.safeParse(bad).success).toBe(true);
    const pair = studyDesignSchema.safeParse(design({ debaters: ["offline:extractive", "offline:heuristic"] }));
    expect(pair.success ? [] : pair.error.issues.map((i) => i.path)).toEqual([["conditions", 0, "debaters", 1]]);
    expect(studyDesignSchema.safeParse(design({ debaters: "openai:gpt-4o", judge: "human" })).success).toBe(true);
  });

  it("keeps a design's rounds to a live match's limit; an imported dataset's stored config may have more", () => {
    const long = design({ rounds: 25 });
    const parsed = studyDesignSchema.safeParse(long);
    expect(parsed.success ? [] : zodIssueMessages(parsed.error)).toEqual([
      "conditions.0.rounds: at most 10 rounds (a judge waits for every one)",
    ]);
    expect(studyConfigSchema.safeParse(long).success).toBe(true);
  });

  it("lists the models this server cannot call", () => {
    const config = studyConfigSchema.parse(
      design({ debaters: ["openai:gpt-4o", "offline:extractive"], judge: "openai-compatible:vllm/x" }),
    );
    expect(studyModelProblems(config, providersFromEnv({}))).toEqual([
      "Condition 1 – debater A: `openai:gpt-4o` — OPENAI_API_KEY is not set on this server",
      "Condition 1 – judge: `openai-compatible:vllm/x` — no OpenAI-compatible server `vllm` on this server (set CRUX_PROVIDER_VLLM_BASE_URL; none is configured)",
    ]);
    const configured = providersFromEnv({ OPENAI_API_KEY: "k", CRUX_PROVIDER_VLLM_BASE_URL: "http://127.0.0.1:9/v1" });
    expect(studyModelProblems(config, configured)).toEqual([]);
  });

  it("reports a bad spec in a study file with its line", () => {
    const result = parseStudyFile(
      "name: Bad models\nconditions:\n  - name: one\n    protocol: debate\n    debaters: gpt9000\n    judge: foo:bar\n",
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        expect.stringMatching(/^line 5: Condition 1 – debaters: `gpt9000` is not a model spec/),
        expect.stringMatching(/^line 6: Condition 1 – judge: `foo:bar` — unknown provider `foo`/),
      ],
    });
  });
});
