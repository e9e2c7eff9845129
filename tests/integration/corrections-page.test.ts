import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { createDebateMatch } from "../../lib/matches/create";
import { addStudyMember } from "../../lib/studies/repository";
import { callAction, formData, listServerActions, type ServerAction } from "../support/actions";
import { authCallback, CookieJar, getPage } from "../support/auth";
import { type RunningServer, startServer } from "../support/server";
import { createLaunchedStudy, createSyntheticSet } from "../support/studies";

/**
 * The study page's Corrections section on the real server: its owner gets the form and corrects a match (listed at
 * once, with the reason); a researcher added to the study sees the list but no form, and the action refuses them.
 * (Who else may call the action: tests/integration/authorization-matrix.test.ts.)
 */

const SOURCE = "corrections-page";
let server: RunningServer;
let db: Db;
let studyId = "";
let matchId = "";
const cookies = {} as Record<"owner" | "member", string>;
let correctAction: ServerAction;

async function signUp(who: "owner" | "member"): Promise<string> {
  const jar = new CookieJar();
  const email = `${who}-${Date.now()}@example.test`;
  const result = await authCallback(server.url, "signup", { email, password: "correct horse battery" }, jar);
  if (!result.ok) throw new Error(`could not sign up ${who}: ${result.location}`);
  cookies[who] = jar.header();
  await db.user.update({ where: { email }, data: { role: "researcher" } });
  return email;
}

beforeAll(async () => {
  server = await startServer();
  db = createDb(server.databaseUrl);
  const ownerEmail = await signUp("owner");
  const memberEmail = await signUp("member");
  const owner = await db.user.findUniqueOrThrow({ where: { email: ownerEmail } });
  await createSyntheticSet(db, { source: SOURCE, stories: 1, perStory: 2 });
  studyId = (
    await createLaunchedStudy(db, owner.id, {
      name: "Corrections page",
      questions: { source: SOURCE, count: 2, seed: 1 },
      conditions: [{ name: "naive", protocol: "naive" }],
    })
  ).studyId;
  await addStudyMember(db, studyId, memberEmail);
  matchId = (await createDebateMatch(db, { source: SOURCE, judgeId: null, config: { protocol: "naive" } })).id;
  await db.match.update({ where: { id: matchId }, data: { studyId } });
  const found = listServerActions().find((a) => a.name === "app/studies/[id]/actions.ts#correctMatchAction");
  if (!found) throw new Error("the build has no correctMatchAction");
  correctAction = found;
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

const correct = (who: "owner" | "member", reason: string) =>
  callAction(
    server.url,
    correctAction,
    `/studies/${studyId}`,
    [{}, formData({ studyId, matchId, kind: "exclude", reason })],
    cookies[who],
  );

describe("the study page's corrections", () => {
  it("offers the form to the owner only; the owner's correction is listed with its reason", async () => {
    const asMember = await getPage(server.url, `/studies/${studyId}`, new CookieJar(cookies.member));
    expect(asMember.status).toBe(200);
    expect(asMember.html).toContain("Corrections");
    expect(asMember.html).toContain("No corrections.");
    expect(asMember.html).not.toContain("Record correction");
    expect(asMember.html).toContain("Only the study&#x27;s owner or an admin can record corrections.");

    const refused = await correct("member", "Not mine to exclude");
    expect(refused.outcome).toBe("refused");
    expect(refused.result).toMatchObject({
      ok: false,
      message: "Only the study's owner or an admin can correct its data.",
    });
    expect(await db.correction.count({ where: { studyId } })).toBe(0);

    const short = await correct("owner", "x");
    expect(short.result).toMatchObject({ ok: false, message: "Give a reason of at least 3 characters." });

    const done = await correct("owner", "Judge reported a misclick");
    expect(done.result).toMatchObject({ ok: true, message: expect.stringMatching(/^Match excluded from the results/) });
    const asOwner = await getPage(server.url, `/studies/${studyId}`, new CookieJar(cookies.owner));
    expect(asOwner.html).toContain("Record correction");
    expect(asOwner.html).toContain("Judge reported a misclick");
    expect(asOwner.html).toContain(matchId);

    const again = await correct("owner", "Twice");
    expect(again.result).toMatchObject({ ok: false, message: `The match ${matchId} is already excluded.` });
  }, 120_000);
});
