import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { JUDGE_ERRORED_NOTICE, type MatchView } from "../../lib/debate/view";
import { MatchRunner } from "../../lib/matches/runner";
import { providersFromEnv } from "../../lib/models/providers/config";
import { createModelResolver } from "../../lib/models/resolver";
import { createLlmRuntime } from "../../lib/models/runtime";
import { endMatchInDatabase } from "../../lib/studies/assignment";
import type { StudyConfigInput } from "../../lib/studies/config";
import type { StudyMonitor } from "../../lib/studies/monitor";
import { advanceParticipant } from "../../lib/studies/participants";
import { createStudy, launchStudy } from "../../lib/studies/repository";
import { listRuns, runStudy } from "../../lib/studies/run";
import { callAction, formData, listServerActions, type ServerAction } from "../support/actions";
import { authCallback, CookieJar, getPage } from "../support/auth";
import { connectJudge, request, waitForView } from "../support/client";
import { type FakeLlmServer, startFakeLlmServer } from "../support/fake-llm/server";
import { type RunningServer, startServer } from "../support/server";
import { createSyntheticSet } from "../support/studies";

/**
 * Models that cannot be called, against the real server: a design naming specs no server could call is refused
 * where it is saved, one whose provider is not configured here is refused at launch, and a configured provider that
 * refuses the model at run time (the loopback provider answering 404 model_not_found) ends the match with a plain
 * notice for the participant — never the provider's words — who moves on while the researcher sees the reason.
 */

const SOURCE = "model-failures";
/** What the provider says: it must reach researchers, and no participant's socket. */
const PROVIDER_TEXT = "The model `gpt9000` does not exist or you do not have access to it.";

let server: RunningServer;
let fake: FakeLlmServer;
let db: Db;
let researcherId = "";
let researcherCookie = "";

const design = (overrides: Partial<StudyConfigInput["conditions"][number]>, name: string): StudyConfigInput => ({
  name,
  questions: { source: SOURCE, count: 4, seed: 2 },
  conditions: [{ name: "debate", protocol: "debate", rounds: 1, ...overrides }],
  questionsPerJudge: 2,
});

function action(name: string): ServerAction {
  const found = listServerActions().find((a) => a.name === name);
  if (!found) throw new Error(`the build has no ${name}`);
  return found;
}

beforeAll(async () => {
  fake = await startFakeLlmServer();
  fake.setResponder(() => ({ kind: "status", status: 404, message: PROVIDER_TEXT }));
  server = await startServer({ env: { CRUX_PROVIDER_LOCAL_BASE_URL: `${fake.url}/v1` } });
  db = createDb(server.databaseUrl);
  await createSyntheticSet(db, { source: SOURCE, stories: 6, perStory: 1 });
  const jar = new CookieJar();
  const email = `researcher-${Date.now()}@example.test`;
  const signedUp = await authCallback(server.url, "signup", { email, password: "correct horse battery" }, jar);
  if (!signedUp.ok) throw new Error("could not sign up the researcher");
  researcherId = (await db.user.update({ where: { email }, data: { role: "researcher" } })).id;
  researcherCookie = jar.header();
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
  await fake?.close();
});

describe("model specs where a study is designed and launched", () => {
  it("refuses to save debaters `gpt9000` and judge `foo:bar`, with each reason at its field", async () => {
    const name = `Bad models ${Date.now()}`;
    const result = await callAction(
      server.url,
      action("app/studies/actions.ts#createStudyAction"),
      "/studies/new",
      [{}, design({ debaters: "gpt9000", judge: "foo:bar" }, name)],
      researcherCookie,
    );
    expect(result.outcome).toBe("refused");
    const state = result.result as { issues: { path: string; message: string }[]; summary: string[] };
    expect(state.issues).toEqual([
      {
        path: "conditions.0.debaters",
        message: "`gpt9000` is not a model spec — write provider:model, e.g. openai:gpt-4o-mini",
      },
      {
        path: "conditions.0.judge",
        message: "`foo:bar` — unknown provider `foo` (known: offline, openai, anthropic, openai-compatible)",
      },
    ]);
    expect(state.summary).toEqual([
      expect.stringMatching(/^Condition 1 – debaters: `gpt9000` is not a model spec/),
      expect.stringMatching(/^Condition 1 – judge: `foo:bar` — unknown provider `foo`/),
    ]);
    expect(await db.study.count({ where: { name } })).toBe(0);
  });

  it("refuses to launch a design whose provider is not configured on this server, saying which and why", async () => {
    const { id } = await createStudy(db, {
      ownerId: researcherId,
      config: design({ debaters: ["openai:gpt-4o", "openai-compatible:local/x"] }, "Unconfigured provider"),
    });
    const result = await callAction(
      server.url,
      action("app/studies/[id]/actions.ts#launchStudyAction"),
      `/studies/${id}`,
      [{}, formData({ studyId: id })],
      researcherCookie,
    );
    expect(result.outcome).toBe("refused");
    expect(result.result).toEqual({
      ok: false,
      message:
        "Cannot use this design's models here — Condition 1 – debater A: `openai:gpt-4o` — OPENAI_API_KEY is not " +
        "set on this server.",
    });
    expect(await db.study.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "draft",
      currentVersionId: null,
    });
    expect(await db.studyVersion.count({ where: { studyId: id } })).toBe(0);
  });
});

describe("an automated run", () => {
  it("refuses an AI judge it cannot call, from the study page", async () => {
    const { id } = await createStudy(db, { ownerId: researcherId, config: design({}, "Run with a typo") });
    const result = await callAction(
      server.url,
      action("app/studies/[id]/actions.ts#startRunAction"),
      `/studies/${id}`,
      [{}, formData({ studyId: id, judge: "foo:bar", concurrency: "1" })],
      researcherCookie,
    );
    expect(result.result).toEqual({
      ok: false,
      message: "Judge: `foo:bar` — unknown provider `foo` (known: offline, openai, anthropic, openai-compatible).",
    });
    expect(await db.studyRun.count({ where: { studyId: id } })).toBe(0);
  });

  it("says why its matches errored, grouped by reason", async () => {
    const providers = providersFromEnv({ CRUX_PROVIDER_LOCAL_BASE_URL: `${fake.url}/v1` });
    const { id: studyId } = await createStudy(db, {
      ownerId: researcherId,
      config: design({ debaters: "openai-compatible:local/gpt9000", judge: "offline:heuristic" }, "Run errors"),
    });
    const llm = createLlmRuntime({ providers, policy: { baseDelayMs: 5, maxDelayMs: 20 } });
    const runner = new MatchRunner({ db, models: createModelResolver({ offlineWordDelayMs: 0, llm }) });
    try {
      const summary = await runStudy(db, { studyId, concurrency: 2, runner, providers });
      expect(summary).toMatchObject({ total: 4, completed: 0, errored: 4, status: "stopped" });
      expect(summary.errors).toEqual([
        {
          reason: expect.stringMatching(/^openai-compatible:local\/gpt9000 failed after 1 attempt: not found \(404\)/),
          count: 4,
        },
      ]);
      const [listed] = await listRuns(db, studyId);
      expect(listed?.errors).toEqual(summary.errors);
    } finally {
      await runner.stop();
    }
  });
});

describe("a debater the provider refuses at run time", () => {
  it("shows the participant a plain notice, moves them on and reopens the slot; the researcher sees why", async () => {
    const providers = providersFromEnv({ CRUX_PROVIDER_LOCAL_BASE_URL: `${fake.url}/v1` });
    const { id: studyId } = await createStudy(db, {
      ownerId: researcherId,
      config: design({ debaters: "openai-compatible:local/gpt9000" }, "Provider refuses the model"),
    });
    await launchStudy(db, studyId, { providers });

    // A participant arrives by link and reaches their first match.
    const jar = new CookieJar();
    const joined = await fetch(`${server.url}/join/${studyId}`, { redirect: "manual" });
    jar.absorb(joined);
    const participant = await db.participant.findFirstOrThrow({ where: { studyId } });
    const options = { endMatch: endMatchInDatabase(db) };
    await advanceParticipant(db, participant.userId, studyId, { step: "consent", agree: true }, options);
    await advanceParticipant(db, participant.userId, studyId, { step: "instructions" }, options);
    const slot = await db.slot.findFirstOrThrow({ where: { participantId: participant.id, status: "assigned" } });
    const firstMatch = slot.matchId ?? "";
    expect(firstMatch).not.toBe("");

    const client = await connectJudge(server.url, jar.header());
    try {
      const joinedMatch = await request(client, "match:join", { matchId: firstMatch });
      expect(joinedMatch.ok).toBe(true);
      const stopped = await waitForView(client, (view: MatchView) => view.status === "errored");
      expect(stopped.error).toBe(JUDGE_ERRORED_NOTICE);
      expect(stopped.phase).toEqual({ kind: "errored" });
    } finally {
      client.socket.disconnect();
    }
    // Not one frame the participant received carries the provider's words or the failure's detail.
    expect(client.received.length).toBeGreaterThan(0);
    for (const frame of client.received) {
      expect(frame).not.toContain("does not exist");
      expect(frame).not.toContain("model_not_found");
      expect(frame).not.toContain("failed after");
      expect(frame).not.toContain("(404)");
    }

    // The researcher sees the reason: on the match (server-side), and grouped on the monitor.
    const stored = await db.match.findUniqueOrThrow({ where: { id: firstMatch } });
    expect(stored.status).toBe("errored");
    expect(stored.error).toMatch(/^openai-compatible:local\/gpt9000 failed after 1 attempt: not found \(404\)/);
    expect(stored.error).toContain(PROVIDER_TEXT);
    const response = await fetch(`${server.url}/api/studies/${studyId}/monitor`, {
      headers: { cookie: researcherCookie },
    });
    expect(response.status).toBe(200);
    const monitor = (await response.json()) as StudyMonitor;
    expect(monitor.errorReasons).toEqual([{ reason: stored.error, count: 1 }]);
    expect(monitor.errored).toEqual([expect.objectContaining({ id: firstMatch, error: stored.error })]);

    // The match counts as done; the participant's page says so and offers the next match.
    const before = await getPage(server.url, `/participate/${studyId}`, jar);
    expect(before.html).toContain("Match 1 of 2");
    expect(before.html).not.toContain("does not exist");
    const next = await callAction(
      server.url,
      action("app/participate/[studyId]/actions.ts#advanceStepAction"),
      `/participate/${studyId}`,
      [{}, formData({ studyId, step: "next" })],
      jar.header(),
    );
    expect(next).toMatchObject({ outcome: "ok", redirect: `/participate/${studyId}` });

    // The failed match's slot is back in the pool; the participant holds a new one, on match 2 of 2.
    expect(await db.slot.findUniqueOrThrow({ where: { id: slot.id } })).toMatchObject({
      status: "open",
      participantId: null,
      matchId: null,
    });
    const held = await db.slot.findFirstOrThrow({ where: { participantId: participant.id, status: "assigned" } });
    expect(held.id).not.toBe(slot.id);
    expect(held.matchId).toBeTruthy();
    expect(held.matchId).not.toBe(firstMatch);
    const after = await getPage(server.url, `/participate/${studyId}`, jar);
    expect(after.html).toContain("Match 2 of 2");
  }, 120_000);
});
