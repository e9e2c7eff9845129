import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import type { MatchView } from "../../lib/debate/view";
import { providersFromEnv } from "../../lib/models/providers/config";
import { REDACTED } from "../../lib/models/redact";
import { createStudy, launchStudy } from "../../lib/studies/repository";
import { callAction, formData, listServerActions } from "../support/actions";
import { authCallback, CookieJar, getPage } from "../support/auth";
import { connectJudge, type RecordingSocket, request, waitForView } from "../support/client";
import { type FakeLlmServer, type RecordedRequest, startFakeLlmServer } from "../support/fake-llm/server";
import { type RunningServer, startServer } from "../support/server";
import { createSyntheticSet } from "../support/studies";

/**
 * Provider keys never reach a person through an error. The loopback provider refuses every call (401, 400 or 500,
 * by the model's name) with a body that quotes the key it was sent and the Authorization / x-api-key header, and a
 * response header echoing that header; the real server holds the keys of three providers. Matches then fail, played
 * and in an automated study run, and the keys must be absent from every socket frame the judge and an observer
 * receive, from the match and observer pages, the monitor page and the study APIs, the data export, the stored match
 * errors and model-call records researchers see, and the server's log. The failures' reasons still say what went
 * wrong, with the key replaced.
 */

const secret = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;
/** One key per provider. Two are not shaped like `sk-…`, so only the configured values can redact them. */
const KEYS = {
  local: secret("local-key-"),
  openai: secret("sk-test-"),
  anthropic: secret("ant-key-"),
};
const STATUSES = [401, 400, 500] as const;
const PROVIDERS = ["openai-compatible:local/", "openai:", "anthropic:"] as const;
/** Every provider × status: the model's name says which status the loopback provider answers. */
const SPECS = PROVIDERS.flatMap((provider) => STATUSES.map((status) => `${provider}leaky-${status}`));
const SOURCE = "secrets-in-errors";

let fake: FakeLlmServer;
let server: RunningServer;
let db: Db;
let providerEnv: Record<string, string>;
let researcherCookie = "";

/** What the loopback provider sent the key as: the header, and the key on its own. */
function sentKey(request: RecordedRequest): { header: string; key: string } {
  const header = request.headers.authorization ?? request.headers["x-api-key"] ?? "";
  return { header, key: header.replace(/^Bearer\s+/i, "") };
}

/** Fails the test if any of `texts` holds any key (or a long piece of one). */
function expectNoKeys(where: string, texts: readonly string[]) {
  expect(texts.length, `${where}: nothing to check`).toBeGreaterThan(0);
  for (const text of texts)
    for (const [provider, key] of Object.entries(KEYS)) {
      expect(text.includes(key), `${where} holds the ${provider} key`).toBe(false);
      // A key cut short (a message shortened in the middle of it) must not show its start either.
      expect(text.includes(key.slice(0, 20)), `${where} holds the start of the ${provider} key`).toBe(false);
    }
}

beforeAll(async () => {
  fake = await startFakeLlmServer();
  fake.setResponder((request) => {
    const { header, key } = sentKey(request);
    const model = (request.body as { model?: unknown } | null)?.model;
    const status = Number(/leaky-(\d{3})/.exec(String(model))?.[1] ?? 400);
    return {
      kind: "status",
      status,
      message: `Incorrect API key provided: ${key}. You sent the header "${header}".`,
      headers: { "x-echo-credential": header },
    };
  });
  providerEnv = {
    CRUX_PROVIDER_LOCAL_BASE_URL: `${fake.url}/v1`,
    CRUX_PROVIDER_LOCAL_API_KEY: KEYS.local,
    OPENAI_BASE_URL: `${fake.url}/v1`,
    OPENAI_API_KEY: KEYS.openai,
    ANTHROPIC_BASE_URL: `${fake.url}/v1`,
    ANTHROPIC_API_KEY: KEYS.anthropic,
  };
  server = await startServer({
    env: { ...providerEnv, CRUX_PLAY_MODELS: SPECS.join(","), CRUX_MODEL_MAX_ATTEMPTS: "1" },
  });
  db = createDb(server.databaseUrl);
  const jar = new CookieJar();
  const email = `researcher-${Date.now()}@example.test`;
  const signedUp = await authCallback(server.url, "signup", { email, password: "correct horse battery" }, jar);
  if (!signedUp.ok) throw new Error("could not sign up the researcher");
  await db.user.update({ where: { email }, data: { role: "researcher" } });
  researcherCookie = jar.header();
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
  await fake?.close();
});

describe("a played match whose debaters' provider quotes the key in its error", () => {
  it.each(SPECS)("%s: no key in the judge's or observer's frames, the pages or the stored error", async (spec) => {
    const started = await fetch(`${server.url}/api/matches`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ debaters: spec }),
    });
    expect(started.status).toBe(201);
    const leakyMatch = ((await started.json()) as { matchId: string }).matchId;
    const cookie =
      started.headers
        .getSetCookie()
        .find((line) => line.startsWith("crux_session="))
        ?.split(";")[0] ?? "";

    const observer = await connectJudge(server.url, researcherCookie);
    const judge = await connectJudge(server.url, cookie);
    const sockets: RecordingSocket[] = [observer, judge];
    try {
      expect((await request(observer, "match:observe", { matchId: leakyMatch })).ok).toBe(true);
      expect((await request(judge, "match:join", { matchId: leakyMatch })).ok).toBe(true);
      const errored = (view: MatchView) => view.status === "errored";
      await waitForView(judge, errored);
      const seen = await waitForView(observer, errored);
      // The observer (a researcher) is told why, with the key taken out of the provider's words.
      expect(seen.error).toMatch(new RegExp(`^${spec.replace(/[/.]/g, "\\$&")} failed after 1 attempt`));
      if (spec.endsWith("400")) expect(seen.error).toContain(`Incorrect API key provided: ${REDACTED}`);
    } finally {
      for (const socket of sockets) socket.socket.disconnect();
    }
    // The provider did get the key (so it had something to echo).
    expect(fake.requests.some((r) => Object.values(KEYS).includes(sentKey(r).key))).toBe(true);

    expectNoKeys("the judge's frames", judge.received);
    expectNoKeys("the observer's frames", observer.received);
    const judgePage = await getPage(server.url, `/match/${leakyMatch}`, new CookieJar(cookie));
    const observerPage = await getPage(server.url, `/observe/${leakyMatch}`, new CookieJar(researcherCookie));
    expect([judgePage.status, observerPage.status]).toEqual([200, 200]);
    expectNoKeys("the match and observer pages", [judgePage.html, observerPage.html]);

    const stored = await db.match.findUniqueOrThrow({ where: { id: leakyMatch } });
    expect(stored.status).toBe("errored");
    const calls = await db.modelCall.findMany({ where: { matchId: leakyMatch } });
    expect(calls.length).toBeGreaterThan(0);
    expectNoKeys("the stored match error and model calls", [
      stored.error ?? "",
      ...calls.map((call) => JSON.stringify(call)),
    ]);
  });
});

describe("an automated study run whose debaters' provider quotes the key", () => {
  it("keeps the keys out of the runs and monitor APIs, the study and monitor pages, the export and the log", async () => {
    await createSyntheticSet(db, { source: SOURCE, stories: 3, perStory: 1 });
    const { id: studyId } = await createStudy(db, {
      ownerId: (await db.user.findFirstOrThrow({ where: { role: "researcher" } })).id,
      config: {
        name: "Leaky provider",
        questions: { source: SOURCE, count: 2, seed: 1 },
        conditions: [{ name: "debate", protocol: "debate", rounds: 1, debaters: "openai-compatible:local/leaky-400" }],
      },
    });
    await launchStudy(db, studyId, { providers: providersFromEnv(providerEnv) });
    const startRun = listServerActions().find((a) => a.name === "app/studies/[id]/actions.ts#startRunAction");
    if (!startRun) throw new Error("the build has no startRunAction");
    const run = await callAction(
      server.url,
      startRun,
      `/studies/${studyId}`,
      [{}, formData({ studyId, judge: "offline:heuristic", concurrency: "1" })],
      researcherCookie,
    );
    expect(run.result).toMatchObject({ ok: true });

    const api = (path: string) =>
      fetch(`${server.url}${path}`, { headers: { cookie: researcherCookie } }).then(async (response) => {
        expect(response.status, path).toBe(200);
        return response.text();
      });
    await vi.waitFor(
      async () => {
        const { runs } = JSON.parse(await api(`/api/studies/${studyId}/runs`)) as { runs: { status: string }[] };
        expect(runs[0]?.status).not.toBe("running");
      },
      { timeout: 60_000, interval: 200 },
    );
    const runs = await api(`/api/studies/${studyId}/runs`);
    const monitor = await api(`/api/studies/${studyId}/monitor`);
    // The reason is there, grouped, with the key replaced.
    expect(runs).toContain(`Incorrect API key provided: ${REDACTED}`);
    expect(monitor).toContain(`Incorrect API key provided: ${REDACTED}`);
    const jar = new CookieJar(researcherCookie);
    const pages = await Promise.all(
      [`/studies/${studyId}`, `/studies/${studyId}/monitor`, "/transcripts"].map((path) =>
        getPage(server.url, path, jar),
      ),
    );
    for (const page of pages) expect(page.status).toBe(200);
    const exports = await Promise.all(
      ["csv", "jsonl"].map((format) => api(`/api/studies/${studyId}/export?table=matches&format=${format}`)),
    );
    expect(exports.join("\n")).toContain(REDACTED);
    const errors = await db.match.findMany({ where: { studyId }, select: { status: true, error: true } });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((m) => m.status === "errored")).toBe(true);
    expectNoKeys("the study's APIs, pages, export and stored errors", [
      runs,
      monitor,
      ...pages.map((page) => page.html),
      ...exports,
      ...errors.map((m) => m.error ?? ""),
    ]);
    // The server logs why each match errored, without the key.
    expect(server.output()).toMatch(/errored/);
    expectNoKeys("the server's log", [server.output()]);
  }, 120_000);
});
