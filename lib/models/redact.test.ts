import { APICallError } from "ai";
import { describe, expect, it } from "vitest";
import { classifyError } from "./llm/classify-error";
import { ModelCallError } from "./llm/errors";
import { detail } from "./llm/status-errors";
import { configuredKeys, providersFromEnv } from "./providers/config";
import { MIN_SECRET_LENGTH, REDACTED, redactSecrets } from "./redact";

const KEY = "local-9f3Kq2ZxT7vB1mW8";

describe("redactSecrets", () => {
  it("replaces every occurrence of each configured secret", () => {
    const text = `key ${KEY} rejected; you sent ${KEY}.`;
    expect(redactSecrets(text, [KEY])).toBe(`key ${REDACTED} rejected; you sent ${REDACTED}.`);
  });

  it("replaces sk-… keys and Bearer tokens even when not configured", () => {
    expect(redactSecrets("Incorrect API key provided: sk-proj-abc123DEF456_ghi.")).toBe(
      `Incorrect API key provided: ${REDACTED}.`,
    );
    expect(redactSecrets("sk-ant-api03-XYZxyz0123456789")).toBe(REDACTED);
    expect(redactSecrets('header "Authorization: Bearer abc.def-ghi" was refused')).toBe(
      `header "Authorization: Bearer ${REDACTED}" was refused`,
    );
    expect(redactSecrets("bearer token123")).toBe(`Bearer ${REDACTED}`);
  });

  it("replaces a longer secret before one it contains, so no part of it is left", () => {
    const short = "abcd1234";
    const long = `${short}-and-more`;
    expect(redactSecrets(`${long} ${short}`, [short, long])).toBe(`${REDACTED} ${REDACTED}`);
  });

  it("leaves text without secrets alone, and ignores empty, missing and very short values", () => {
    const text = "not found (404): check the model name and base URL — task-skip is fine";
    expect(redactSecrets(text, [KEY, "", undefined, null, "a".repeat(MIN_SECRET_LENGTH - 1)])).toBe(text);
    expect(redactSecrets("a model answered a question", ["a"])).toBe("a model answered a question");
  });

  it("treats secrets as literal text, not patterns", () => {
    const odd = "k.+*?(x)[y]$";
    expect(redactSecrets(`before ${odd} after kXXXX`, [odd])).toBe(`before ${REDACTED} after kXXXX`);
  });
});

describe("model errors carry no key", () => {
  it("ModelCallError redacts its reason and message", () => {
    const error = new ModelCallError({
      label: "openai-compatible:local/m",
      reason: `bad request (400) — key ${KEY} is not valid`,
      attempts: 1,
      retryable: false,
      cause: null,
      secrets: [KEY],
    });
    expect(error.reason).toBe(`bad request (400) — key ${REDACTED} is not valid`);
    expect(error.message).not.toContain(KEY);
  });

  it("a provider message is redacted before it is shortened, so a key cut in half is not shown either", () => {
    const message = `${"x".repeat(190)} ${KEY} trailing`;
    expect(detail(message, [KEY])).not.toContain(KEY.slice(0, 8));
    const error = new APICallError({
      message,
      url: "http://127.0.0.1:1/v1/chat/completions",
      requestBodyValues: {},
      statusCode: 400,
      responseBody: JSON.stringify({ error: { message } }),
    });
    const reason = classifyError(error, { secrets: [KEY] }).reason;
    expect(reason).toMatch(/^bad request \(400\)/);
    expect(reason).not.toContain(KEY.slice(0, 8));
  });

  it("configuredKeys lists every provider key the environment sets", () => {
    const config = providersFromEnv({
      OPENAI_API_KEY: "sk-openai-key",
      ANTHROPIC_BASE_URL: "http://127.0.0.1:1/v1",
      CRUX_PROVIDER_LOCAL_BASE_URL: "http://127.0.0.1:2/v1",
      CRUX_PROVIDER_LOCAL_API_KEY: KEY,
      CRUX_PROVIDER_OTHER_BASE_URL: "http://127.0.0.1:3/v1",
    });
    expect(configuredKeys(config).sort()).toEqual([KEY, "sk-openai-key"].sort());
  });
});
