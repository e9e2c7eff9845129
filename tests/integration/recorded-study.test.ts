import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accuracyCredit } from "../../lib/debate/scoring";
import { seedShippedDebates } from "../../lib/import/shipped-debates";
import { assignNext, endMatchInDatabase } from "../../lib/studies/assignment";
import { frozenStudySchema } from "../../lib/studies/config";
import { joinStudy } from "../../lib/studies/participants";
import { runCrux } from "../support/cli";
import { type FakeLlmServer, startFakeLlmServer } from "../support/fake-llm/server";
import { createLaunchedStudy, createResearcher, createSyntheticSet } from "../support/studies";
import { tempDatabase } from "../support/temp-db";

/**
 * A study whose conditions are recorded NYU 2023 debates (the shipped subset, seeded as on a fresh install), run to
 * completion with AI judges through the real CLI — one recorded condition judged by a language model (the loopback
 * OpenAI-compatible server), one by the offline judge in timed mode, beside a live condition — then `crux stats`
 * comparing the new judges' accuracy with the original judges' on the same debates, checked against the database.
 */

const temp = tempDatabase("recorded-study");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-recorded-study-"));
const JUDGE = "openai-compatible:local/judge";
let llm: FakeLlmServer;
const crux = (...args: string[]) =>
  runCrux(args, temp.url, { CRUX_PROVIDER_LOCAL_BASE_URL: `${llm.url}/v1`, CRUX_RECORDED_WORD_DELAY_MS: "0" });

const DESIGN = `
name: NYU debates judged again
questions: { source: quality, count: 3, seed: 2 }
conditions:
  - name: replay-debate
    protocol: recorded
    source: { study: nyu-2023, protocol: interactive, tags: [human-debate], count: 5, seed: 4 }
    judge: ${JUDGE}
  - name: replay-consultancy
    protocol: recorded
    mode: timed
    source: { study: nyu-2023, protocol: consultancy, tags: [in-paper] }
    judge: offline:heuristic
  - { name: live, protocol: naive, judge: offline:heuristic }
judgmentsPerQuestion: 2
`;

interface Comparison {
  condition: string;
  debates: number;
  n: number;
  unpaired: number;
  newJudges: { correct: number; accuracy: number | null; ci: [number, number] | null };
  originalJudges: { correct: number; accuracy: number | null; ci: [number, number] | null };
  difference: { estimate: number | null; ci: [number, number] | null };
}

beforeAll(async () => {
  llm = await startFakeLlmServer();
  await seedShippedDebates(temp.db());
}, 120_000);
afterAll(async () => {
  await llm?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a study of recorded debates", () => {
  it("refuses a source that resolves to no debate, at launch, saying what the source holds", async () => {
    const file = path.join(dir, "empty.yaml");
    fs.writeFileSync(
      file,
      "name: Nothing to replay\nconditions:\n  - name: r\n    protocol: recorded\n" +
        "    source: { study: nyu-2023, tags: [no-such-tag] }\n    judge: offline:heuristic\n",
    );
    const created = await crux("study", "create", file);
    expect(created.stderr).toBe("");
    const run = await crux("study", "run", created.stdout.trim());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Condition r: .*"nyu-2023".*no-such-tag.*the source has 0 finished, replayable debates/);

    fs.writeFileSync(file, "name: bad\nconditions:\n  - { name: r, protocol: recorded }\n");
    const refused = await crux("study", "create", file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Condition 1 – source debates: a recorded condition needs a source/);
  }, 60_000);

  it("runs to completion with AI judges, each plan item replaying a source the filter keeps, compared with the originals", async () => {
    const db = temp.db();
    const file = path.join(dir, "study.yaml");
    fs.writeFileSync(file, DESIGN);
    const created = await crux("study", "create", file);
    expect(created.stderr).toBe("");
    const studyId = created.stdout.trim();

    const run = await crux("study", "run", studyId, "--concurrency", "3", "--json");
    expect(run.code, run.stderr).toBe(0);
    const dataset = await db.study.findFirstOrThrow({ where: { name: "nyu-2023", status: "imported" } });
    const candidates = await db.match.findMany({
      where: { studyId: dataset.id, status: "complete" },
      select: { id: true, protocol: true, questionId: true, tags: { select: { tag: true } } },
    });
    const tagged = (tag: string) => candidates.filter((c) => c.tags.some((t) => t.tag === tag));
    const humanDebates = tagged("human-debate").filter((c) => c.protocol === "interactive");
    const consultancies = tagged("in-paper").filter((c) => c.protocol === "consultancy");
    expect(humanDebates.length).toBeGreaterThan(5);
    expect(consultancies.length).toBeGreaterThan(4);

    const planned = 5 * 2 + consultancies.length * 2 + 3 * 2;
    expect(JSON.parse(run.stdout)).toMatchObject({ status: "complete", total: planned, errored: 0 });

    // The frozen version holds the drawn debates: 5 of the human debates, every in-paper consultancy.
    const version = await db.studyVersion.findFirstOrThrow({ where: { studyId } });
    const frozen = frozenStudySchema.parse(version.config);
    const drawn = frozen.recordedSources ?? {};
    expect(drawn["replay-debate"]).toHaveLength(5);
    for (const id of drawn["replay-debate"] ?? []) expect(humanDebates.map((c) => c.id)).toContain(id);
    expect(new Set(drawn["replay-consultancy"])).toEqual(new Set(consultancies.map((c) => c.id)));

    // Every plan item has exactly one complete match, linked to the right source (none outside the filter).
    const matches = await db.match.findMany({
      where: { studyId },
      select: {
        status: true,
        planKey: true,
        condition: true,
        protocol: true,
        questionId: true,
        sourceMatchId: true,
        judgeModel: true,
        config: true,
        verdict: { select: { chosen: true, correct: true } },
      },
    });
    expect(matches).toHaveLength(planned);
    expect(matches.every((m) => m.status === "complete" && m.verdict)).toBe(true);
    expect(new Set(matches.map((m) => m.planKey)).size).toBe(planned);
    const byCondition = (name: string) => matches.filter((m) => m.condition === name);
    for (const [name, judge, mode] of [
      ["replay-debate", JUDGE, "stepped"],
      ["replay-consultancy", "offline:heuristic", "timed"],
    ] as const) {
      const sources = drawn[name] ?? [];
      const mine = byCondition(name);
      expect(mine).toHaveLength(sources.length * 2);
      for (const [s, source] of sources.entries()) {
        const replays = mine.filter((m) => m.planKey?.startsWith(`s${s}:${name}:`));
        expect(replays.map((m) => m.sourceMatchId)).toEqual([source, source]);
        const original = candidates.find((c) => c.id === source);
        for (const m of replays) {
          expect(m).toMatchObject({ protocol: "recorded", judgeModel: judge, questionId: original?.questionId });
          expect(m.config).toMatchObject({ recorded: { mode } });
        }
        // The screen order is counterbalanced across a debate's two judgments.
        const orders = replays.map((m) => JSON.stringify((m.config as { optionOrder: number[] }).optionOrder));
        expect(new Set(orders).size).toBe(2);
      }
    }
    expect(byCondition("live").every((m) => m.protocol === "naive" && m.sourceMatchId === null)).toBe(true);

    // The comparison, computed here from the database: each new verdict paired with its source's original verdict.
    const originals = new Map(
      (
        await db.verdict.findMany({
          where: { matchId: { in: Object.values(drawn).flat() } },
          select: { matchId: true, chosen: true, correct: true },
        })
      ).map((v) => [v.matchId, accuracyCredit(v)]),
    );
    const stats = await crux("stats", "--study", studyId, "--json", "--replicates", "200");
    expect(stats.code, stats.stderr).toBe(0);
    const { recorded, conditions } = JSON.parse(stats.stdout) as {
      recorded: Comparison[];
      conditions: Array<{ condition: string; n: number }>;
    };
    expect(conditions.map((c) => [c.condition, c.n])).toEqual([
      ["replay-debate", 10],
      ["replay-consultancy", consultancies.length * 2],
      ["live", 6],
    ]);
    expect(recorded.map((r) => r.condition)).toEqual(["replay-debate", "replay-consultancy"]);
    for (const comparison of recorded) {
      const mine = byCondition(comparison.condition);
      const pairs = mine.map((m) => ({
        fresh: m.verdict ? accuracyCredit(m.verdict) : Number.NaN,
        original: originals.get(m.sourceMatchId ?? "") ?? Number.NaN,
      }));
      const fresh = pairs.reduce((sum, p) => sum + p.fresh, 0) / pairs.length;
      const original = pairs.reduce((sum, p) => sum + p.original, 0) / pairs.length;
      expect(comparison).toMatchObject({ debates: mine.length / 2, n: mine.length, unpaired: 0 });
      expect(comparison.newJudges.accuracy).toBeCloseTo(fresh, 9);
      expect(comparison.originalJudges.accuracy).toBeCloseTo(original, 9);
      expect(comparison.difference.estimate).toBeCloseTo(fresh - original, 9);
      for (const [estimate, ci] of [
        [fresh, comparison.newJudges.ci],
        [original, comparison.originalJudges.ci],
        [fresh - original, comparison.difference.ci],
      ] as const) {
        expect(ci).not.toBeNull();
        expect(ci?.[0]).toBeLessThanOrEqual(estimate + 1e-9);
        expect(ci?.[1]).toBeGreaterThanOrEqual(estimate - 1e-9);
      }
    }
  }, 300_000);

  it("gives human judges recorded debates through the study's slots: quotas, one story per judge, the right source", async () => {
    const db = temp.db();
    await createSyntheticSet(db, { source: "synthetic-recorded", stories: 4, perStory: 2 });
    const owner = await createResearcher(db);
    const { studyId, version } = await createLaunchedStudy(db, owner.id, {
      name: "Judge recorded debates",
      questions: { source: "synthetic-recorded", count: 4, seed: 1 },
      conditions: [
        {
          name: "replay",
          protocol: "recorded",
          source: { study: "nyu-2023", tags: ["live-judge"], count: 6, seed: 9 },
        },
        { name: "naive", protocol: "naive" },
      ],
      judgmentsPerQuestion: 2,
      questionsPerJudge: 3,
    });
    const sources = version.frozen.recordedSources?.replay ?? [];
    expect(sources).toHaveLength(6);
    expect(version.slots).toBe(6 * 2 + 4 * 2);
    const sourceQuestion = new Map(
      (await db.match.findMany({ where: { id: { in: sources } }, select: { id: true, questionId: true } })).map((m) => [
        m.id,
        m.questionId,
      ]),
    );

    const endMatch = endMatchInDatabase(db);
    for (let j = 0; j < 8; j++) {
      const joined = await joinStudy(db, { studyId, external: { PROLIFIC_PID: `recorded-judge-${j}` }, current: null });
      for (;;) {
        const next = await assignNext(db, joined.participantId, { endMatch, random: () => 0 });
        if (next.kind !== "match") break;
        await db.match.update({ where: { id: next.assignment.matchId }, data: { status: "complete" } });
      }
    }

    const matches = await db.match.findMany({
      where: { studyId },
      select: { judgeId: true, condition: true, protocol: true, questionId: true, sourceMatchId: true, slot: true },
    });
    const replays = matches.filter((m) => m.condition === "replay");
    // Every slot was judged once: quotas hold, and the recorded ones replay the debate frozen for their question.
    expect(matches).toHaveLength(version.slots);
    expect(new Set(matches.map((m) => m.slot?.id)).size).toBe(version.slots);
    expect(replays).toHaveLength(12);
    for (const m of replays) {
      expect(m.protocol).toBe("recorded");
      expect(sources).toContain(m.sourceMatchId);
      expect(sourceQuestion.get(m.sourceMatchId ?? "")).toBe(m.questionId);
      expect(m.slot?.questionId).toBe(m.questionId);
    }
    for (const source of sources) expect(replays.filter((m) => m.sourceMatchId === source)).toHaveLength(2);
    // No judge met a story twice, nor judged more than asked.
    const judges = new Set(matches.map((m) => m.judgeId));
    for (const judge of judges) {
      const own = matches.filter((m) => m.judgeId === judge);
      expect(new Set(own.map((m) => m.slot?.storyKey)).size).toBe(own.length);
      expect(own.length).toBeLessThanOrEqual(3);
    }
  }, 120_000);
});
