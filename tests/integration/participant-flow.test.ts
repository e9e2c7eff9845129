import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { endMatchInDatabase } from "../../lib/studies/assignment";
import type { StudyConfigInput } from "../../lib/studies/config";
import { advanceParticipant, type ParticipantIntent } from "../../lib/studies/participants";
import { createStudy, launchStudy } from "../../lib/studies/repository";
import { authCallback, CookieJar, getPage } from "../support/auth";
import { connectJudge, createGuestMatch, request, waitForView } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

/**
 * A study participant's path against the real server: the study link over HTTP (cookie session, resume by browser
 * or PROLIFIC_PID, refusals with readable pages), the participant page at every step, the state machine driven
 * through `advanceParticipant` (server actions cannot be called from outside a browser), and every match played
 * over real socket.io as the participant — through to the completion code and the Prolific redirect.
 */

const PROLIFIC = "https://app.prolific.com/submissions/complete";
const JOIN_LIMIT = 5;
let clients = 0;
/** A client address of its own (one IPv6 /64 each), so that no two requests share a rate-limit count by accident. */
const newClientIp = () => `2001:db8:${(++clients).toString(16)}::1`;

function design(overrides: Partial<StudyConfigInput> = {}): StudyConfigInput {
  return {
    name: "Participant flow",
    questions: { source: "quality", count: 4, seed: 11 },
    conditions: [
      { name: "debate", protocol: "debate", rounds: 1 },
      { name: "consultancy", protocol: "consultancy", rounds: 1 },
    ],
    questionsPerJudge: 2,
    consent: "Consent text: you may stop at any time.",
    instructions: "Instructions text: only the debaters can read the story.",
    comprehensionCheck: {
      questions: [{ question: "Who can read the story?", options: ["Only the debaters", "You"], answer: 0 }],
      attempts: 2,
    },
    practice: true,
    survey: [
      { id: "confidence", prompt: "How confident were you overall?", kind: "scale", required: true },
      { id: "comments", prompt: "Anything else to tell us?", kind: "text" },
    ],
    completion: { redirectUrl: PROLIFIC, codes: { completed: "C1FLOW23" } },
    ...overrides,
  };
}

describe("participant flow", () => {
  let server: RunningServer;
  let db: Db;
  let studyId = "";
  let ownerId = "";

  beforeAll(async () => {
    // Each request says which client it comes from (X-Forwarded-For, trusted here), so the per-IP limit on study
    // links is exercised on purpose only.
    server = await startServer({ env: { CRUX_TRUST_PROXY: "1", CRUX_JOIN_LIMIT_PER_IP: String(JOIN_LIMIT) } });
    db = createDb(server.databaseUrl);
    ownerId = (await db.user.create({ data: { role: "researcher", email: `owner-${Date.now()}@example.test` } })).id;
    studyId = (await createStudy(db, { ownerId, config: design() })).id;
    await launchStudy(db, studyId);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  /** GET a study link without following the redirect; the jar takes the cookies it sets. */
  async function join(id: string, query: string, jar = new CookieJar(), ip = newClientIp()) {
    const response = await fetch(`${server.url}/join/${id}${query}`, {
      redirect: "manual",
      headers: { cookie: jar.header(), "x-forwarded-for": ip },
    });
    jar.absorb(response);
    return { status: response.status, location: response.headers.get("location"), response, jar };
  }

  const page = async (jar: CookieJar, id = studyId) => getPage(server.url, `/participate/${id}`, jar);
  const advance = (userId: string, intent: ParticipantIntent, id = studyId) =>
    advanceParticipant(db, userId, id, intent, { endMatch: endMatchInDatabase(db) });
  const participantByPid = (pid: string, id = studyId) =>
    db.participant.findUniqueOrThrow({ where: { studyId_externalId: { studyId: id, externalId: pid } } });

  it("joins by link: a cookie session bound to the study, then the participant page at consent", async () => {
    const joined = await join(studyId, "?PROLIFIC_PID=flow1&STUDY_ID=s1&SESSION_ID=x1");
    expect(joined.status).toBe(303);
    expect(joined.location).toBe(`/participate/${studyId}`);
    const setCookie = joined.response.headers.getSetCookie().find((c) => c.startsWith("crux_session="));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/SameSite=lax/i);

    const participant = await participantByPid("flow1");
    expect(participant).toMatchObject({ externalStudy: "s1", externalSession: "x1", stage: "consent", ordinal: 0 });
    expect((await db.user.findUniqueOrThrow({ where: { id: participant.userId } })).role).toBe("participant");

    const shown = await page(joined.jar);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("Consent text: you may stop at any time.");
    expect(shown.html).toContain("I agree to take part");

    // The same browser again: the same participant, no new session.
    const again = await join(studyId, "", joined.jar);
    expect(again.status).toBe(303);
    expect(again.response.headers.getSetCookie().some((c) => c.startsWith("crux_session="))).toBe(false);
  });

  it("resumes a PROLIFIC_PID in another browser only with the same SESSION_ID; refuses it otherwise", async () => {
    const first = await join(studyId, "?PROLIFIC_PID=flow2&SESSION_ID=attempt2");
    const participant = await participantByPid("flow2");
    await advance(participant.userId, { step: "consent", agree: true });

    // The same person's own link (same SESSION_ID) in another browser: the same participant, at their step.
    const other = await join(studyId, "?PROLIFIC_PID=flow2&SESSION_ID=attempt2");
    expect(other.status).toBe(303);
    expect(other.jar.get("crux_session")).toBeTruthy();
    expect(other.jar.get("crux_session")).not.toBe(first.jar.get("crux_session"));
    expect(await db.participant.count({ where: { studyId, externalId: "flow2" } })).toBe(1);
    const shown = await page(other.jar);
    expect(shown.html).toContain("Instructions text: only the debaters can read the story.");
    expect(shown.html).not.toContain("I agree to take part");

    // Someone who knows only the id (no SESSION_ID, or another one): refused, no session, nothing of the participant.
    for (const query of ["?PROLIFIC_PID=flow2", "?PROLIFIC_PID=flow2&SESSION_ID=guessed"]) {
      const impostor = await join(studyId, query);
      expect(impostor.status).toBe(409);
      expect(impostor.jar.get("crux_session")).toBeUndefined();
      const text = await impostor.response.text();
      expect(text).toContain("This participant id is already in use in another browser. Return to Prolific");
      expect(text).not.toContain("Instructions text");
      expect((await page(impostor.jar)).html).toContain("Open your study link to take part");
    }
    // A participant who arrived without a SESSION_ID can be resumed by their own browser only.
    const bare = await join(studyId, "?PROLIFIC_PID=flow2b");
    expect((await join(studyId, "?PROLIFIC_PID=flow2b", bare.jar)).status).toBe(303);
    expect((await join(studyId, "?PROLIFIC_PID=flow2b&SESSION_ID=anything")).status).toBe(409);
    expect(await db.participant.count({ where: { studyId, externalId: { in: ["flow2", "flow2b"] } } })).toBe(2);
  });

  it("admits nobody new to a study that is not live, and resumes only the browsers holding a session", async () => {
    const paused = (await createStudy(db, { ownerId, config: design({ name: "Closing study" }) })).id;
    await launchStudy(db, paused);
    const holder = await join(paused, "?PROLIFIC_PID=closing1&SESSION_ID=c1");
    for (const status of ["paused", "closed"] as const) {
      await db.study.update({ where: { id: paused }, data: { status } });
      // The participant's own browser continues (their page, their link).
      expect((await join(paused, "?PROLIFIC_PID=closing1&SESSION_ID=c1", holder.jar)).status).toBe(303);
      expect((await page(holder.jar, paused)).html).toContain("Consent text");
      // Another browser, even with the right SESSION_ID, and anyone new: refused, with no session.
      for (const query of ["?PROLIFIC_PID=closing1&SESSION_ID=c1", "?PROLIFIC_PID=closing2", ""]) {
        const refused = await join(paused, query);
        expect(refused.status).toBe(409);
        expect(refused.jar.get("crux_session")).toBeUndefined();
        expect(await refused.response.text()).toContain("not taking participants right now");
      }
    }
    expect(await db.participant.count({ where: { studyId: paused } })).toBe(1);
  });

  it('refuses links without PROLIFIC_PID when the study says "require a Prolific id"', async () => {
    const strict = (
      await createStudy(db, { ownerId, config: design({ name: "Prolific only", requireProlificId: true }) })
    ).id;
    await launchStudy(db, strict);
    const bare = await join(strict, "");
    expect(bare.status).toBe(403);
    expect(bare.jar.get("crux_session")).toBeUndefined();
    expect(await bare.response.text()).toContain("can only be started from Prolific");
    expect(await db.participant.count({ where: { studyId: strict } })).toBe(0);
    const sent = await join(strict, "?PROLIFIC_PID=strict1&STUDY_ID=s&SESSION_ID=x");
    expect(sent.status).toBe(303);
    expect(await db.participant.count({ where: { studyId: strict } })).toBe(1);
    // The bare link still resumes the browser that holds the session.
    expect((await join(strict, "", sent.jar)).status).toBe(303);
    // The default admits links without an id (the tests above join that way too).
    expect((await join(studyId, "")).status).toBe(303);
  });

  it("limits study links per client IP (IPv6 by /64), with a page that says when to try again", async () => {
    const ip = "198.51.100.7";
    for (let i = 0; i < JOIN_LIMIT; i++)
      expect((await join("no-such-study", "", new CookieJar(), ip)).status).toBe(404);
    const limited = await join(studyId, "?PROLIFIC_PID=limited1", new CookieJar(), ip);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(limited.response.headers.get("content-type")).toMatch(/text\/html/);
    expect(await limited.response.text()).toMatch(/Too many study links[\s\S]*try again in \d+ (seconds|minutes)/);
    expect(limited.jar.get("crux_session")).toBeUndefined();
    expect(await db.participant.count({ where: { studyId, externalId: "limited1" } })).toBe(0);
    // Another address is unaffected; addresses of one IPv6 /64 share one count.
    expect((await join(studyId, "?PROLIFIC_PID=limited2", new CookieJar(), "198.51.100.8")).status).toBe(303);
    for (let i = 0; i < JOIN_LIMIT; i++)
      expect((await join("no-such-study", "", new CookieJar(), `2001:db8:ffff:1::${i + 1}`)).status).toBe(404);
    expect((await join("no-such-study", "", new CookieJar(), "2001:db8:ffff:1:abcd::9")).status).toBe(429);
  });

  it("refuses bad links with readable pages: bad ids 400, unknown study 404, accounts and closed studies 409", async () => {
    const bad = await join(studyId, "?PROLIFIC_PID=not%20valid!");
    expect(bad.status).toBe(400);
    expect(bad.response.headers.get("content-type")).toMatch(/text\/html/);
    expect(await bad.response.text()).toContain("PROLIFIC_PID");
    expect(bad.jar.get("crux_session")).toBeUndefined();
    expect(await db.participant.count({ where: { studyId, externalId: "not valid!" } })).toBe(0);

    const unknown = await join("no-such-study", "?PROLIFIC_PID=flow3");
    expect(unknown.status).toBe(404);
    expect(await unknown.response.text()).toContain("This study link is not valid.");

    const researcher = new CookieJar();
    const email = `researcher-${Date.now()}@example.test`;
    const signedUp = await authCallback(server.url, "signup", { email, password: "correct horse battery" }, researcher);
    expect(signedUp.ok).toBe(true);
    await db.user.update({ where: { email }, data: { role: "researcher" } });
    const refused = await join(studyId, "?PROLIFIC_PID=flow4", researcher);
    expect(refused.status).toBe(409);
    const text = await refused.response.text();
    expect(text).toContain("signed in with an account");
    expect(text).toContain("private window");
    expect(await db.participant.count({ where: { studyId, externalId: "flow4" } })).toBe(0);

    const draft = await createStudy(db, { ownerId, config: design({ name: "Draft study" }) });
    const notLive = await join(draft.id, "?PROLIFIC_PID=flow5");
    expect(notLive.status).toBe(409);
    expect(await notLive.response.text()).toContain("not taking participants");

    // A guest who played before becomes a participant (a new user, so their play history stays apart).
    const guest = await createGuestMatch(server.url);
    const guestJar = new CookieJar(guest.cookie);
    const guestJoin = await join(studyId, "?PROLIFIC_PID=flow6", guestJar);
    expect(guestJoin.status).toBe(303);
    expect(guestJar.header()).not.toBe(guest.cookie);
  });

  it("takes a participant from consent through the check, practice, two matches and the survey to the code", async () => {
    const { jar } = await join(studyId, "?PROLIFIC_PID=flow7");
    const me = await participantByPid("flow7");
    const cookie = jar.header();

    await advance(me.userId, { step: "consent", agree: true });
    await advance(me.userId, { step: "instructions" });
    let html = (await page(jar)).html;
    expect(html).toContain("A quick check");
    expect(html).toContain("2 attempts left");
    expect(html).toContain("Who can read the story?");

    // A wrong answer costs an attempt and says so; the right one moves on.
    await advance(me.userId, { step: "check", answers: [1] });
    html = (await page(jar)).html;
    expect(html).toContain("1 attempt left");
    expect(html).toContain("Not every answer was right");
    await advance(me.userId, { step: "check", answers: [0] });

    // Practice: labelled, not counted, must be played before moving on.
    html = (await page(jar)).html;
    expect(html).toContain("Practice — not counted");
    const practice = await db.match.findFirstOrThrow({ where: { judgeId: me.userId, practice: true } });
    expect(html).toContain(`data-match-id="${practice.id}"`);
    await expect(advance(me.userId, { step: "practice" })).rejects.toThrow(/Finish the practice match first/);
    await playMatch(practice.id, cookie);
    await advance(me.userId, { step: "practice" });

    // Two matches, one of each condition, each shown with its place in the study.
    const played: string[] = [];
    for (const position of [1, 2]) {
      html = (await page(jar)).html;
      expect(html).toContain(`Match ${position} of 2`);
      expect(html).toMatch(/<progress[^>]*aria-label="Study progress: \d of 2 matches finished"/);
      const slot = await db.slot.findFirstOrThrow({ where: { participantId: me.id, status: "assigned" } });
      const matchId = slot.matchId ?? "";
      expect(html).toContain(`data-match-id="${matchId}"`);
      // An intent for another step is refused, never applied out of order.
      await expect(advance(me.userId, { step: "survey", answers: {} })).rejects.toThrow(/out of date/);
      const { before, passage } = await playMatch(matchId, cookie);
      expect(before).not.toContain(passage.slice(0, 300));
      expect(before).not.toMatch(/"(gold|correct)":\d|"reveal":\{/);
      played.push(matchId);
      await advance(me.userId, { step: "next" });
    }
    const matches = await db.match.findMany({ where: { id: { in: played } } });
    expect(matches.map((m) => m.condition).sort()).toEqual(["consultancy", "debate"]);
    expect(matches.every((m) => m.status === "complete" && !m.practice)).toBe(true);

    // Survey: required answers enforced, scales 1–7.
    html = (await page(jar)).html;
    expect(html).toContain("How confident were you overall?");
    expect(html).toContain("(required)");
    await expect(advance(me.userId, { step: "survey", answers: { comments: "none" } })).rejects.toThrow(
      /Please answer: How confident/,
    );
    await expect(advance(me.userId, { step: "survey", answers: { confidence: "9" } })).rejects.toThrow(/1 to 7/);
    await advance(me.userId, { step: "survey", answers: { confidence: "5", comments: " Interesting. " } });

    const done = await db.participant.findUniqueOrThrow({ where: { id: me.id } });
    expect(done).toMatchObject({ stage: "done", status: "completed", completionCode: "C1FLOW23" });
    expect(done.survey).toEqual({ confidence: 5, comments: "Interesting." });
    html = (await page(jar)).html;
    expect(html).toContain('data-testid="completion-code">C1FLOW23');
    expect(html).toContain(`href="${PROLIFIC}?cc=C1FLOW23"`);
    expect(html).toContain("Continue to Prolific");
    await expect(advance(me.userId, { step: "next" })).rejects.toThrow(/finished this study/);

    // Coming back with the link shows the end again rather than starting over; another browser gets nothing of it.
    const back = await join(studyId, "?PROLIFIC_PID=flow7", jar);
    expect(back.status).toBe(303);
    expect((await page(jar)).html).toContain('data-testid="completion-code">C1FLOW23');
    const elsewhere = await join(studyId, "?PROLIFIC_PID=flow7");
    expect(elsewhere.status).toBe(409);
    expect(await elsewhere.response.text()).not.toContain("C1FLOW23");
  });

  it("ends with the failed-check code after the last wrong attempt", async () => {
    const { jar } = await join(studyId, "?PROLIFIC_PID=flow8");
    const me = await participantByPid("flow8");
    await advance(me.userId, { step: "consent", agree: true });
    await advance(me.userId, { step: "instructions" });
    await advance(me.userId, { step: "check", answers: [1] });
    await advance(me.userId, { step: "check", answers: [1] });
    expect(await db.participant.findUniqueOrThrow({ where: { id: me.id } })).toMatchObject({
      stage: "done",
      status: "failed_check",
      completionCode: "CRUX-FAILED-CHECK",
    });
    const html = (await page(jar)).html;
    expect(html).toContain("The answers to the check were not right");
    expect(html).toContain(`href="${PROLIFIC}?cc=CRUX-FAILED-CHECK"`);
    expect(await db.match.count({ where: { judgeId: me.userId } })).toBe(0);
  });

  it("tells a participant who finds no match left that the study is full, without a code", async () => {
    const tiny = (
      await createStudy(db, {
        ownerId,
        config: design({
          name: "Tiny study",
          questions: { source: "quality", count: 1, seed: 5 },
          conditions: [{ name: "debate", protocol: "debate", rounds: 1 }],
          questionsPerJudge: 1,
          comprehensionCheck: { questions: [] },
          practice: false,
        }),
      })
    ).id;
    await launchStudy(db, tiny);
    const first = await join(tiny, "?PROLIFIC_PID=tiny1");
    const firstUser = (await participantByPid("tiny1", tiny)).userId;
    await advance(firstUser, { step: "consent", agree: true }, tiny);
    await advance(firstUser, { step: "instructions" }, tiny);
    expect((await page(first.jar, tiny)).html).toContain("Match 1 of 1");

    const second = await join(tiny, "?PROLIFIC_PID=tiny2");
    const secondUser = (await participantByPid("tiny2", tiny)).userId;
    await advance(secondUser, { step: "consent", agree: true }, tiny);
    await advance(secondUser, { step: "instructions" }, tiny);
    expect(await participantByPid("tiny2", tiny)).toMatchObject({ status: "full", completionCode: null });
    const html = (await page(second.jar, tiny)).html;
    expect(html).toContain("The study is full");
    expect(html).toContain("return the study on Prolific");
    expect(html).not.toContain("completion-code");
  });

  it("shows a notice and no study data to anyone who is not its participant", async () => {
    const stranger = await page(new CookieJar());
    expect(stranger.status).toBe(200);
    expect(stranger.html).toContain("Open your study link to take part");
    expect(stranger.html).not.toContain("Consent text");
    // A participant of one study sees nothing of another.
    const { jar } = await join(studyId, "?PROLIFIC_PID=flow9");
    const draft = await createStudy(db, { ownerId, config: design({ name: "Other study" }) });
    expect((await page(jar, draft.id)).html).toContain("Open your study link to take part");
  });

  /** Plays a one-round match to the verdict over socket.io as the participant; returns what arrived before it. */
  async function playMatch(matchId: string, cookie: string) {
    const judge = await connectJudge(server.url, cookie);
    try {
      const joined = await request(judge, "match:join", { matchId });
      if (!joined.ok) throw new Error(`match:join refused: ${joined.error.message}`);
      const view =
        joined.data.phase.kind === "judge" ? joined.data : await waitForView(judge, (v) => v.phase.kind === "judge");
      if (view.phase.kind !== "judge") throw new Error("not the judge's turn");
      expect(view.phase.final).toBe(true);
      const before = judge.received.join("\n");
      const final = await request(judge, "judge:step", {
        matchId,
        round: view.phase.round,
        probabilities: [0.3, 0.7],
        action: "end",
      });
      if (!final.ok) throw new Error(`verdict refused: ${final.error.message}`);
      expect(final.data.phase.kind).toBe("complete");
      return { before, passage: final.data.reveal?.passage?.text ?? "" };
    } finally {
      judge.socket.disconnect();
    }
  }
});
