import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { endMatchInDatabase } from "../../lib/studies/assignment";
import type { StudyConfigInput } from "../../lib/studies/config";
import { advanceParticipant } from "../../lib/studies/participants";
import { studyPayments } from "../../lib/studies/payments";
import { authCallback, CookieJar, getPage } from "../support/auth";
import { type RunningServer, startServer } from "../support/server";
import { completeStudy, createLaunchedStudy, joinByLink } from "../support/studies";

/**
 * Paying by performance, end to end: participants arrive by their Prolific links and judge every match over
 * socket.io; each verdict is scored by its condition's rule; the study's payments and its bonus file (Prolific's
 * bulk-bonus lines) pay exactly the bonus rule on their mean scores, only to participants who completed the study,
 * earned a bonus and came with an id; only researchers with access download it, and each download is audited.
 */

const design: StudyConfigInput = {
  name: "Bonus study",
  questions: { source: "quality", count: 6, seed: 5 },
  conditions: [
    { name: "debate", protocol: "debate", rounds: 1, scoring: { rule: "quadratic" } },
    { name: "consultancy", protocol: "consultancy", rounds: 1, scoring: { rule: "log" } },
  ],
  questionsPerJudge: 2,
  consent: "Consent.",
  instructions: "Instructions.",
  pay: { basePay: 4.5, currency: "GBP", bonus: { perPoint: 2, floor: 0, cap: 1.5 } },
};

/** A match's score by hand: p on the correct answer, under each condition's rule (1 = certain, 0 = 50–50). */
const SCORE = {
  debate: (p: number) => 1 - 4 * (1 - p) ** 2,
  consultancy: (p: number) => 1 + Math.log2(p),
};

/** Probabilities (option order) putting `p` on the correct answer. */
const onGold = (p: number) => (gold: number) => (gold === 0 ? [p, 1 - p] : [1 - p, p]);

describe("bonus file", () => {
  let server: RunningServer;
  let db: Db;
  let studyId = "";
  let clients = 0;
  const ip = () => `2001:db8:b0${(++clients).toString(16)}::1`;
  const cookies: Record<"owner" | "other", string> = { owner: "", other: "" };

  beforeAll(async () => {
    server = await startServer({ env: { CRUX_TRUST_PROXY: "1" } });
    db = createDb(server.databaseUrl);
    const ids: Record<string, string> = {};
    for (const who of ["owner", "other"] as const) {
      const jar = new CookieJar();
      const email = `bonus-${who}-${Date.now()}@example.test`;
      const result = await authCallback(server.url, "signup", { email, password: "correct horse battery" }, jar);
      if (!result.ok) throw new Error(`could not sign up ${who}: ${result.location}`);
      ids[who] = (await db.user.update({ where: { email }, data: { role: "researcher" } })).id;
      cookies[who] = jar.header();
    }
    studyId = (await createLaunchedStudy(db, ids.owner ?? "", design)).studyId;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  it("tells participants their pay and the bonus rule in the instructions", async () => {
    const joined = await joinByLink(db, server.url, studyId, "?PROLIFIC_PID=peek", ip());
    await advanceParticipant(
      db,
      joined.participant.userId,
      studyId,
      { step: "consent", agree: true },
      { endMatch: endMatchInDatabase(db) },
    );
    const { html } = await getPage(server.url, `/participate/${studyId}`, new CookieJar(joined.cookie));
    expect(html).toContain(
      "You earn £4.50 for completing the study, plus a bonus of £2.00 for every point your average match score is " +
        "above 0, up to £1.50.",
    );
  });

  it("pays the bonus rule on each participant's mean score, in Prolific's bulk-bonus format", async () => {
    // 0.8 on the truth: quadratic 0.84, log 0.678; mean 0.759 × £2 = £1.52, capped at £1.50.
    const high = await joinByLink(db, server.url, studyId, "?PROLIFIC_PID=pidHigh", ip());
    await completeStudy(db, server.url, high, onGold(0.8));
    // 0.6 on the truth: quadratic 0.36, log 0.263; mean 0.3115 × £2 = £0.623 → £0.62.
    const mid = await joinByLink(db, server.url, studyId, "?PROLIFIC_PID=pidMid", ip());
    await completeStudy(db, server.url, mid, onGold(0.6));
    // 0.8 on the wrong answer: a negative mean, no bonus (but the base pay).
    const low = await joinByLink(db, server.url, studyId, "?PROLIFIC_PID=pidLow", ip());
    await completeStudy(db, server.url, low, onGold(0.2));
    // No Prolific id: earns a bonus, but has no line in the file.
    const anonymous = await joinByLink(db, server.url, studyId, "", ip());
    await completeStudy(db, server.url, anonymous, onGold(0.8));
    // Joined and left: nothing.
    await joinByLink(db, server.url, studyId, "?PROLIFIC_PID=pidGone", ip());

    const expected = (p: number) => {
      const mean = (SCORE.debate(p) + SCORE.consultancy(p)) / 2;
      return Math.min(1.5, Math.max(0, Math.round(mean * 2 * 100) / 100));
    };
    expect(expected(0.8)).toBe(1.5);
    expect(expected(0.6)).toBe(0.62);

    const rows = await studyPayments(db, studyId);
    const byPid = new Map(rows.map((row) => [row.externalId, row]));
    expect(byPid.get("pidHigh")).toMatchObject({ status: "completed", matches: 2, base: 4.5, bonus: 1.5, total: 6 });
    expect(byPid.get("pidHigh")?.meanScore).toBeCloseTo((SCORE.debate(0.8) + SCORE.consultancy(0.8)) / 2, 10);
    expect(byPid.get("pidMid")).toMatchObject({ matches: 2, base: 4.5, bonus: 0.62, total: 5.12, currency: "GBP" });
    expect(byPid.get("pidLow")).toMatchObject({ matches: 2, base: 4.5, bonus: 0, total: 4.5 });
    expect(byPid.get(null)).toMatchObject({ matches: 2, bonus: 1.5 });
    expect(byPid.get("pidGone")).toMatchObject({ status: "active", matches: 0, meanScore: null, base: 0, total: 0 });

    const response = await fetch(`${server.url}/api/studies/${studyId}/bonus`, { headers: { cookie: cookies.owner } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="bonus-${studyId}.csv"`);
    expect(await response.text()).toBe("pidHigh,1.50\npidMid,0.62\n");
    const audit = await db.auditLog.findMany({ where: { action: "bonus.download", target: `study:${studyId}` } });
    expect(audit).toHaveLength(1);
  });

  it("links the file from the study page and reports every rule for every condition on the results page", async () => {
    const study = await getPage(server.url, `/studies/${studyId}`, new CookieJar(cookies.owner));
    expect(study.html).toContain(`href="/api/studies/${studyId}/bonus"`);
    expect(study.html).toContain("Download the bonus file");
    const { html } = await getPage(server.url, `/studies/${studyId}/results`, new CookieJar(cookies.owner));
    const start = html.indexOf('data-testid="scores-table"');
    const table = html.slice(start, html.indexOf("</table>", start)).replaceAll("<!-- -->", "");
    for (const heading of ["log", "quadratic (Brier)", "spherical"]) expect(table).toContain(`>${heading}</th>`);
    // Each condition marks the rule it pays by, and every rule has a mean with its interval.
    expect(table.match(/\(paid\)/g)).toHaveLength(2);
    // Every rule recomputed from the probabilities: the four complete participants put 0.8, 0.6, 0.2 and 0.8 on
    // the truth, so the debate condition's mean log score is (0.678 + 0.263 − 1.322 + 0.678) / 4 = 0.074.
    const logMean = [0.8, 0.6, 0.2, 0.8].reduce((sum, p) => sum + SCORE.consultancy(p), 0) / 4;
    expect(table).toMatch(
      new RegExp(
        `<th scope="row">debate</th><td>0\\.00</td><td>${logMean.toFixed(3)} \\[-?\\d\\.\\d{3}, -?\\d\\.\\d{3}\\]</td>`,
      ),
    );
  });

  it("refuses the file to a researcher who is not on the study, and to anyone signed out", async () => {
    const other = await fetch(`${server.url}/api/studies/${studyId}/bonus`, { headers: { cookie: cookies.other } });
    expect(other.status).toBe(403);
    expect(await other.text()).not.toContain("pidHigh");
    expect((await fetch(`${server.url}/api/studies/${studyId}/bonus`)).status).toBe(401);
    expect(await db.auditLog.count({ where: { action: "bonus.download" } })).toBe(1);
  });
});
