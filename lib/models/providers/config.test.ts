import { describe, expect, it } from "vitest";
import { providersFromEnv } from "./config";

describe("providersFromEnv: structured output", () => {
  it("defaults to json_schema for every provider and named server", () => {
    const config = providersFromEnv({
      OPENAI_API_KEY: "k",
      ANTHROPIC_API_KEY: "k",
      CRUX_PROVIDER_OLLAMA_BASE_URL: "http://localhost:11434/v1",
    });
    expect(config.openai?.structuredOutput).toBe("json_schema");
    expect(config.anthropic?.structuredOutput).toBe("json_schema");
    expect(config.compatible.ollama?.structuredOutput).toBe("json_schema");
  });

  it("reads CRUX_PROVIDER_<NAME>_STRUCTURED_OUTPUT in any case, and names a bad value's variable", () => {
    const config = providersFromEnv({
      OPENAI_API_KEY: "k",
      CRUX_PROVIDER_OPENAI_STRUCTURED_OUTPUT: "OFF",
      CRUX_PROVIDER_TGI_BASE_URL: "http://localhost:8080/v1",
      CRUX_PROVIDER_TGI_STRUCTURED_OUTPUT: " json_object ",
    });
    expect(config.openai?.structuredOutput).toBe("off");
    expect(config.compatible.tgi?.structuredOutput).toBe("json_object");
    expect(() =>
      providersFromEnv({
        CRUX_PROVIDER_TGI_BASE_URL: "http://localhost:8080/v1",
        CRUX_PROVIDER_TGI_STRUCTURED_OUTPUT: "grammar",
      }),
    ).toThrow(/CRUX_PROVIDER_TGI_STRUCTURED_OUTPUT: must be one of json_schema, json_object, off/);
  });
});
