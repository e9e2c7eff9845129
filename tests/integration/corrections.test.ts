import { beforeAll, describe, expect, it } from "vitest";
import { clearResultsCache, getHeadlineComparison } from "../../lib/analysis/headline";
import { getStudyResults } from "../../lib/analysis/results";
import { NO_FILTERS } from "../../lib/analysis/results-schema";
import type { SessionUser } from "../../lib/auth/roles";
import { immutableRecordViolation } from "../../lib/db/errors";
import { CruxError } from "../../lib/errors";
import { recordStudyVerdict } from "../../lib/matches/study-verdicts";
import {
  type CorrectionInput,
  canCorrectStudy,
  correctedTargets,
  listCorrections,
  recordCorrection,
} from "../../lib/studies/corrections";
import { runCrux } from "../support/cli";
import { createLaunchedStudy, createResearcher, createSyntheticSet } from "../support/studies";
import { tempDatabase } from "../support/temp-db";

/**
 * Corrections: new, append-only records with a reason (the database refuses to change or delete one), checked
 * against the study, audited, and read by the results — corrected verdicts, matches and participants are left out
 * of every figure and counted under `corrected`, the last correction of a target deciding. Then `crux correct` as a
 * subprocess on the same database.
 */

const temp = tempDatabase("corrections");
const db = () => temp.db();
const SOURCE = "corrections-fixture";

let studyId = "";
let otherStudyId = "";
let versionId = "";
let owner: { id: string; email: string | null };
const judges = {} as Record<"j1" | "j2", { userId: string; participantId: string }>;
let questions: Array<{ id: string; gold: number }> = [];
/** Match and verdict ids by name: D1…D4 in condition debate, N1 and N2 in naive. */
const matches = {} as Record<string, { matchId: string; verdictId: string }>;

async function addMatch(name: string, condition: "debate" | "naive", judge: "j1" | "j2", q: number, right: boolean) {
  const question = questions[q];
  if (!question) throw new Error(`no question ${q}`);
  const match = await db().match.create({
    data: {
      questionId: question.id,
      protocol: condition,
      config: {},
      debaters: condition === "debate" ? [{ seat: "A", option: question.gold, model: "offline:extractive" }] : [],
      judgeId: judges[judge].userId,
      status: "complete",
      studyId,
      studyVersionId: versionId,
      condition,
      configHash: "fixture",
      endedAt: new Date("2026-03-10T12:00:00Z"),
    },
  });
  const chosen = right ? question.gold : 1 - question.gold;
  const verdict = await db().verdict.create({
    data: {
      matchId: match.id,
      probabilities: chosen === 0 ? [0.8, 0.2] : [0.2, 0.8],
      chosen,
      correct: right,
      score: right ? Math.log(0.8) : Math.log(0.2),
      rounds: 1,
      timeTakenMs: 1000,
    },
  });
  await recordStudyVerdict(db(), match.id);
  matches[name] = { matchId: match.id, verdictId: verdict.id };
}

beforeAll(async () => {
  await createSyntheticSet(db(), { source: SOURCE, stories: 2, perStory: 2 });
  const researcher = await createResearcher(db(), "owner@example.test");
  owner = { id: researcher.id, email: researcher.email };
  const design = {
    questions: { source: SOURCE, count: 4, seed: 1 },
    conditions: [
      { name: "debate", protocol: "debate" as const },
      { name: "naive", protocol: "naive" as const },
    ],
  };
  const launched = await createLaunchedStudy(db(), owner.id, { ...design, name: "Corrections fixture" });
  studyId = launched.studyId;
  versionId = launched.version.id;
  otherStudyId = (await createLaunchedStudy(db(), owner.id, { ...design, name: "Another study" })).studyId;
  questions = (await db().question.findMany({ where: { source: SOURCE }, orderBy: { externalId: "asc" } })).map(
    (q) => ({ id: q.id, gold: q.gold }),
  );
  for (const [i, name] of (["j1", "j2"] as const).entries()) {
    const user = await db().user.create({ data: { role: "participant", email: `${name}@example.test` } });
    const participant = await db().participant.create({
      data: { studyId, versionId: launched.version.id, userId: user.id, ordinal: i, status: "completed" },
    });
    judges[name] = { userId: user.id, participantId: participant.id };
  }
  // Debate: 3 of 4 right; naive: 1 of 2.
  await addMatch("D1", "debate", "j1", 0, true);
  await addMatch("D2", "debate", "j1", 1, true);
  await addMatch("D3", "debate", "j2", 2, false);
  await addMatch("D4", "debate", "j2", 3, true);
  await addMatch("N1", "naive", "j1", 0, false);
  await addMatch("N2", "naive", "j2", 1, true);
});

const correct = (input: Omit<CorrectionInput, "studyId"> & { studyId?: string }) =>
  recordCorrection(db(), { studyId, ...input, actor: owner });

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error("it succeeded"),
    (error: unknown) => error,
  );
}

/** Per condition [correct, n, corrected], and the study's corrected total. */
async function tally() {
  const results = await getStudyResults(db(), studyId, NO_FILTERS);
  return {
    conditions: results.conditions.map((c) => [c.condition, c.correct, c.n, c.excluded.corrected]),
    corrected: results.excluded.corrected,
    total: results.excluded.total,
    judges: results.judges.map((j) => j.id).sort(),
  };
}

describe("recording corrections", () => {
  it("checks the target belongs to the study and the state it changes, and audits each correction", async () => {
    const d1 = matches.D1;
    if (!d1) throw new Error("no D1");
    // Another study's match, an unknown verdict: not found.
    const elsewhere = await failure(
      correct({ studyId: otherStudyId, targetKind: "match", targetId: d1.matchId, kind: "exclude", reason: "Wrong" }),
    );
    expect(elsewhere).toBeInstanceOf(CruxError);
    expect(elsewhere).toMatchObject({ code: "NOT_FOUND", message: `This study has no match ${d1.matchId}.` });
    expect(
      await failure(correct({ targetKind: "verdict", targetId: "nope", kind: "exclude", reason: "Wrong" })),
    ).toMatchObject({ code: "NOT_FOUND" });
    // A reason is required, 3 to 500 characters.
    expect(
      String(await failure(correct({ targetKind: "match", targetId: d1.matchId, kind: "exclude", reason: " x " }))),
    ).toMatch(/at least 3 characters/);
    // Restoring what is not excluded.
    expect(
      await failure(correct({ targetKind: "match", targetId: d1.matchId, kind: "restore", reason: "Nothing to undo" })),
    ).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/is not excluded/) });
    expect(await db().correction.count()).toBe(0);
    expect(await db().auditLog.count({ where: { action: { startsWith: "correction." } } })).toBe(0);

    const made = await correct({
      targetKind: "verdict",
      targetId: d1.verdictId,
      kind: "exclude",
      reason: "  Judge said they clicked the wrong side  ",
    });
    expect(made).toMatchObject({
      studyId,
      matchId: d1.matchId,
      targetKind: "verdict",
      targetId: d1.verdictId,
      kind: "exclude",
      reason: "Judge said they clicked the wrong side",
      actorId: owner.id,
    });
    expect(
      await failure(correct({ targetKind: "verdict", targetId: d1.verdictId, kind: "exclude", reason: "Twice" })),
    ).toMatchObject({ code: "CONFLICT", message: `The verdict ${d1.verdictId} is already excluded.` });
    const audit = await db().auditLog.findMany({ where: { action: "correction.exclude" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: owner.id, actorName: owner.email, target: `verdict:${d1.verdictId}` });
    expect(audit[0]?.details).toEqual({
      studyId,
      correctionId: made.id,
      reason: "Judge said they clicked the wrong side",
    });
  });

  it("is append-only: the database refuses to change or delete a correction", async () => {
    const refusal = async (write: Promise<unknown>) => immutableRecordViolation(await failure(write));
    expect(await refusal(db().correction.updateMany({ data: { reason: "Rewritten history" } }))).toMatch(
      /Correction rows are immutable/,
    );
    expect(await refusal(db().correction.deleteMany({}))).toMatch(/Correction rows are immutable/);
    expect(await refusal(db().$executeRawUnsafe(`UPDATE "Correction" SET "kind" = 'restore'`))).toMatch(
      /Correction rows are immutable/,
    );
    expect((await listCorrections(db(), studyId)).map((c) => [c.kind, c.reason, c.actorEmail])).toEqual([
      ["exclude", "Judge said they clicked the wrong side", "owner@example.test"],
    ]);
  });

  it("lets the owner and admins correct, not researchers added to the study or anyone else", () => {
    const as = (id: string, role: string) => ({ id, role }) as SessionUser;
    const study = { ownerId: owner.id };
    expect(canCorrectStudy(as(owner.id, "researcher"), study)).toBe(true);
    expect(canCorrectStudy(as("someone", "admin"), study)).toBe(true);
    expect(canCorrectStudy(as("member", "researcher"), study)).toBe(false);
    expect(canCorrectStudy(as(owner.id, "participant"), study)).toBe(false);
    expect(canCorrectStudy(null, study)).toBe(false);
  });
});

describe("the results with corrections", () => {
  it("leave out corrected verdicts, matches and participants, count them as corrected, and follow the last correction", async () => {
    const [d3, j2] = [matches.D3, judges.j2];
    if (!d3 || !j2) throw new Error("fixture");
    clearResultsCache();
    // D1's verdict is excluded (previous test).
    expect(await tally()).toEqual({
      conditions: [
        ["debate", 2, 3, 1],
        ["naive", 1, 2, 0],
      ],
      corrected: 1,
      total: 1,
      judges: [judges.j1?.userId, j2.userId].sort(),
    });
    const headline = async () =>
      (await getHeadlineComparison(db(), studyId, NO_FILTERS, { replicates: 50, permutations: 99 })).differences[0];
    expect(await headline()).toMatchObject({ a: "debate", b: "naive", nA: 3, nB: 2 });

    await correct({ targetKind: "match", targetId: d3.matchId, kind: "exclude", reason: "Broken model in seat B" });
    expect((await tally()).conditions).toEqual([
      ["debate", 2, 2, 2],
      ["naive", 1, 2, 0],
    ]);
    expect(await headline()).toMatchObject({ nA: 2, nB: 2, accuracyA: 1 });

    // A participant: every verdict of theirs goes (D3 is counted once), and they leave the leaderboard.
    await correct({ targetKind: "participant", targetId: j2.participantId, kind: "exclude", reason: "A bot" });
    expect(await tally()).toEqual({
      conditions: [
        ["debate", 1, 1, 3],
        ["naive", 0, 1, 1],
      ],
      corrected: 4,
      total: 4,
      judges: [judges.j1?.userId],
    });
    expect(await headline()).toMatchObject({ nA: 1, nB: 1 });

    // Restoring the match leaves D3 out (its judge still is); restoring the judge brings back all but D1.
    await correct({ targetKind: "match", targetId: d3.matchId, kind: "restore", reason: "Seat B was fine after all" });
    expect((await tally()).corrected).toBe(4);
    await correct({ targetKind: "participant", targetId: j2.participantId, kind: "restore", reason: "Not a bot" });
    expect(await tally()).toMatchObject({
      conditions: [
        ["debate", 2, 3, 1],
        ["naive", 1, 2, 0],
      ],
      corrected: 1,
    });
    expect(await headline()).toMatchObject({ nA: 3, nB: 2 });

    const current = await correctedTargets(db(), studyId);
    expect([...current.verdicts]).toEqual([matches.D1?.verdictId]);
    expect([...current.matches]).toEqual([]);
    expect([...current.participants]).toEqual([]);
    expect([...current.excludedMatchIds]).toEqual([matches.D1?.matchId]);
    expect(current.corrections.map((c) => c.reason)).toEqual(["Judge said they clicked the wrong side"]);
  });
});

describe("npx crux correct", () => {
  const crux = (...args: string[]) => runCrux(args, temp.url);

  it("excludes and restores a match with a reason, lists corrections, and refuses what makes no sense", async () => {
    const n2 = matches.N2;
    if (!n2) throw new Error("fixture");
    const excluded = await crux(
      "correct",
      "exclude",
      "--study",
      studyId,
      "--match",
      n2.matchId,
      "--reason",
      "Judge saw the answer",
      "--as",
      "owner@example.test",
    );
    expect(excluded.stderr).toBe("");
    expect(excluded).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(`^Excluded match ${n2.matchId} \\(correction \\d+\\): Judge saw the answer\\n$`),
    });
    expect((await tally()).conditions[1]).toEqual(["naive", 0, 1, 1]);

    const twice = await crux("correct", "exclude", "--study", studyId, "--match", n2.matchId, "--reason", "Again");
    expect(twice).toMatchObject({ code: 1, stderr: `crux: The match ${n2.matchId} is already excluded.\n` });
    const two = await crux(
      "correct",
      "exclude",
      "--study",
      studyId,
      "--match",
      n2.matchId,
      "--verdict",
      n2.verdictId,
      "--reason",
      "Both",
    );
    expect(two).toMatchObject({ code: 1, stderr: "crux: name exactly one of --match, --verdict or --participant\n" });
    const short = await crux("correct", "exclude", "--study", studyId, "--verdict", n2.verdictId, "--reason", "no");
    expect(short).toMatchObject({ code: 1, stderr: "crux: --reason: Give a reason of at least 3 characters.\n" });
    const unknown = await crux("correct", "exclude", "--study", studyId, "--participant", "nobody", "--reason", "Who?");
    expect(unknown).toMatchObject({ code: 1, stderr: "crux: This study has no participant nobody.\n" });
    // Without --as: the first admin, else the command line's own researcher account.
    const restored = await crux(
      "correct",
      "restore",
      "--study",
      studyId,
      "--match",
      n2.matchId,
      "--reason",
      "Checked again",
    );
    expect(restored).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Restored match /) });
    expect((await tally()).conditions[1]).toEqual(["naive", 1, 2, 0]);

    const listed = await crux("correct", "list", "--study", studyId);
    expect(listed.code).toBe(0);
    const lines = listed.stdout
      .trim()
      .split("\n")
      .map((line) => line.split("\t"));
    expect(lines.map(([, , kind, target, , reason]) => [kind, target, reason]).slice(0, 2)).toEqual([
      ["restore", `match:${n2.matchId}`, "Checked again"],
      ["exclude", `match:${n2.matchId}`, "Judge saw the answer"],
    ]);
    expect(lines).toHaveLength(7);
    const json = await crux("correct", "list", "--study", studyId, "--json");
    const first = JSON.parse(json.stdout.split("\n")[0] ?? "");
    expect(first).toMatchObject({
      kind: "restore",
      targetKind: "match",
      targetId: n2.matchId,
      actorEmail: "cli@crux.local",
    });
    expect(
      (await db().auditLog.findMany({ where: { target: `match:${n2.matchId}` }, orderBy: { id: "asc" } })).map((a) => [
        a.action,
        a.actorName,
      ]),
    ).toEqual([
      ["correction.exclude", "owner@example.test"],
      ["correction.restore", "cli@crux.local"],
    ]);
    expect(await crux("correct", "list", "--study", "nope")).toMatchObject({ code: 1 });
  }, 300_000);
});
