import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { defaultMigrationsDir, migrateDatabase } from "../../lib/db/migrate";
import { createDebateMatch } from "../../lib/matches/create";
import { parsePromptRefs, withFullPrompts } from "../../lib/matches/prompt-parts";
import { recordModelCall } from "../../lib/matches/repository";
import type { ModelCallRecord } from "../../lib/models/types";
import { seedQuestionBank } from "../../lib/questions/seed";

/**
 * Prompts are stored with their story referred to and their other long texts kept once (lib/matches/prompt-parts.ts):
 * what the database gives back, through Prisma, is the exact prompt sent — for calls recorded now, and for calls recorded before, which the
 * `…_prompt_parts` migration converted.
 */

const dirs: string[] = [];
const clients: Db[] = [];
afterAll(async () => {
  for (const db of clients) await db.$disconnect();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-prompt-storage-"));
  dirs.push(dir);
  return dir;
}

/** A copy of the migrations before the one whose name ends with `suffix`, in `dir`. */
function migrationsUntil(dir: string, suffix: string): string {
  const before = path.join(dir, "migrations");
  fs.mkdirSync(before);
  const names = fs.readdirSync(defaultMigrationsDir).filter((name) => /^\d+_/.test(name));
  const cut = names.findIndex((name) => name.endsWith(suffix));
  expect(cut).toBeGreaterThan(0);
  for (const name of names.slice(0, cut))
    fs.cpSync(path.join(defaultMigrationsDir, name), path.join(before, name), { recursive: true });
  return before;
}

/** A database with a seeded bank and one AI match; returns the match and its story (with its Passage row). */
async function matchWithStory(db: Db): Promise<{ matchId: string; story: string; passageId: string }> {
  await seedQuestionBank(db);
  const { id } = await createDebateMatch(db, { judgeModel: "offline:naive", seed: 7 });
  const match = await db.match.findUniqueOrThrow({
    where: { id },
    select: { question: { select: { passage: { select: { id: true, text: true } } } } },
  });
  const story = match.question.passage?.text ?? "";
  expect(story.length).toBeGreaterThan(1000);
  return { matchId: id, story, passageId: match.question.passage?.id ?? "" };
}

function call(story: string, extra: string): ModelCallRecord {
  return {
    role: "debater",
    model: "openai:gpt-4o-mini",
    promptVersion: "debater.v2",
    promptHash: "hash",
    prompt: {
      system: `You are a debater. ${"Quote the story exactly; never concede. ".repeat(10)}`,
      messages: [
        { role: "user", content: `Question?\n\n<story>\n${story}\n</story>\n\n${extra} 🙂 "quoted" \\ \u2028` },
        { role: "assistant", content: "A first try." },
      ],
    },
    settings: { temperature: 0.7, seed: 1 },
    output: "An answer.",
    attempts: 1,
    cached: false,
    tokensIn: 10,
    tokensOut: 5,
    costUsd: 0.001,
    latencyMs: 12,
  };
}

describe("prompt storage", () => {
  it("refers to the story, keeps the system prompt and each turn once, and gives back every prompt as sent", async () => {
    const dir = tempDir();
    const url = `file:${path.join(dir, "crux.db")}`;
    await migrateDatabase({ url });
    const db = createDb(url);
    clients.push(db);
    const { matchId, story, passageId } = await matchWithStory(db);
    const turn = `Debater A said: ${"the key was on the hook, and <quote>the gardener took it</quote>. ".repeat(8)}`;
    const sent = [call(story, "Round 1."), call(story, `Round 2.\n${turn}`), call(story, `Judge.\n${turn}`)];
    for (const [round, record] of sent.entries()) {
      await recordModelCall(
        db,
        { matchId, round: round + 1, seat: "A", passage: { id: passageId, text: story }, shared: [turn] },
        record,
      );
    }
    const stored = await db.modelCall.findMany({ where: { matchId }, orderBy: { round: "asc" } });
    // The story stays in the question bank only; the system prompt and the turn are stored once each.
    const parts = await db.promptPart.findMany({ select: { text: true } });
    expect(parts.map((p) => p.text).sort()).toEqual([sent[0]?.prompt.system, turn].sort());
    for (const row of stored) {
      expect(JSON.stringify(row.prompt).length).toBeLessThan(600);
      // The short form: [offset, part, passage] for the story.
      expect(row.promptParts).toContainEqual([expect.any(Number), expect.any(String), passageId]);
      expect(parsePromptRefs(row.promptParts)).toContainEqual(expect.objectContaining({ passage: passageId }));
    }
    const full = await withFullPrompts(db, stored);
    full.forEach((row, i) => {
      const original = JSON.stringify(sent[i]?.prompt);
      expect(Buffer.from(row.promptText).equals(Buffer.from(original))).toBe(true);
      expect(row.prompt).toEqual(sent[i]?.prompt);
    });

    // A story that no longer hashes as it did when the call was made cannot give back the prompt: a clear error.
    await db.$executeRaw`UPDATE "Passage" SET "text" = ${`${story} (edited)`} WHERE "id" = ${passageId}`;
    await expect(withFullPrompts(db, stored)).rejects.toThrow(/prompt part [\w-]{22} is missing/);
  });

  it("shares the templates' fixed paragraphs and a match's repeated ones across calls, and restores them exactly", async () => {
    const dir = tempDir();
    const url = `file:${path.join(dir, "crux.db")}`;
    await migrateDatabase({ url });
    const db = createDb(url);
    clients.push(db);
    const { matchId, story, passageId } = await matchWithStory(db);
    const rules =
      "This is round 2 of 2. Rebut your opponent's arguments, above all their latest turn — quote the story.";
    const role = 'You are Debater A. You argue for option 1: "The gardener". Your opponent argues for option 2.';
    const sent = [1, 2, 3].map((round) => {
      const record = call(story, `${role}\n\n${rules}\n\nRound ${round} of 3.`);
      return { ...record, prompt: { ...record.prompt, system: "" } };
    });
    for (const [round, record] of sent.entries())
      await recordModelCall(
        db,
        { matchId, round: round + 1, seat: "A", passage: { id: passageId, text: story } },
        record,
      );
    const parts = await db.promptPart.findMany({ select: { text: true } });
    // The role and the rules once each; the short paragraph that differs in every call stays in its call.
    expect(parts.map((p) => p.text).sort()).toEqual([role, rules].sort());
    const stored = await db.modelCall.findMany({ where: { matchId }, orderBy: { round: "asc" } });
    for (const row of stored) {
      expect(JSON.stringify(row.prompt)).not.toContain("Rebut");
      expect(JSON.stringify(row.prompt)).toContain(`Round ${row.round} of 3.`);
    }
    const full = await withFullPrompts(db, stored);
    expect(full.map((row) => row.promptText)).toEqual(sent.map((record) => JSON.stringify(record.prompt)));
  });

  it("converts references recorded in the earlier form ({ part, at } objects, whole SHA-256 ids), exactly", async () => {
    const dir = tempDir();
    const url = `file:${path.join(dir, "crux.db")}`;
    // The migrations before the short form, applied to a database that then records a call the earlier way.
    await migrateDatabase({ url, migrationsDir: migrationsUntil(dir, "_prompt_refs_short") });
    const db = createDb(url);
    clients.push(db);
    const { matchId, story, passageId } = await matchWithStory(db);
    const record = call(story, "Recorded in the earlier form.");
    const json = JSON.stringify(record.prompt);
    const system = JSON.stringify(record.prompt.system).slice(1, -1);
    const escapedStory = JSON.stringify(story).slice(1, -1);
    const hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
    // The rest and references as the previous code wrote them (no astral characters before the cuts).
    const rest = json.replace(system, "").replace(escapedStory, "");
    const refs = [
      { part: hex(record.prompt.system), at: json.indexOf(system) },
      { part: hex(story), at: json.indexOf(escapedStory) - system.length, passage: passageId },
    ];
    await db.promptPart.create({ data: { id: hex(record.prompt.system), text: record.prompt.system } });
    await db.$executeRaw`INSERT INTO "ModelCall" ("id", "matchId", "round", "role", "seat", "model", "promptVersion", "promptHash", "prompt", "promptParts", "output", "latencyMs") VALUES ('earlier-call', ${matchId}, 1, 'debater', 'A', ${record.model}, ${record.promptVersion}, ${record.promptHash}, ${rest}, ${JSON.stringify(refs)}, ${record.output}, 12)`;
    // Read as it is before the migration, too.
    const before = await db.modelCall.findUniqueOrThrow({ where: { id: "earlier-call" } });
    expect((await withFullPrompts(db, [before]))[0]?.promptText).toBe(json);
    await db.$disconnect();

    const { applied } = await migrateDatabase({ url });
    expect(applied.some((name) => name.endsWith("_prompt_refs_short"))).toBe(true);
    const after = createDb(url);
    clients.push(after);
    const row = await after.modelCall.findUniqueOrThrow({ where: { id: "earlier-call" } });
    expect(row.promptParts).toEqual([
      [refs[0]?.at, refs[0]?.part],
      [refs[1]?.at, refs[1]?.part, passageId],
    ]);
    const [full] = await withFullPrompts(after, [row]);
    expect(full?.promptText).toBe(json);
  });

  it("converts calls recorded before: the migration keeps their story once, and the prompt stays exact", async () => {
    const dir = tempDir();
    const url = `file:${path.join(dir, "crux.db")}`;
    // The migrations before this change, applied to a database that then records a call the old way.
    await migrateDatabase({ url, migrationsDir: migrationsUntil(dir, "_prompt_parts") });
    const db = createDb(url);
    clients.push(db);
    const { matchId, story } = await matchWithStory(db);
    const old = call(story, "Recorded by the previous version.");
    const json = JSON.stringify(old.prompt);
    await db.$executeRaw`INSERT INTO "ModelCall" ("id", "matchId", "round", "role", "seat", "model", "promptVersion", "promptHash", "prompt", "output", "latencyMs") VALUES ('old-call', ${matchId}, 1, 'debater', 'A', ${old.model}, ${old.promptVersion}, ${old.promptHash}, ${json}, ${old.output}, 12)`;
    await db.$disconnect();

    const { applied } = await migrateDatabase({ url });
    expect(applied.some((name) => name.endsWith("_prompt_parts"))).toBe(true);
    const after = createDb(url);
    clients.push(after);
    const row = await after.modelCall.findUniqueOrThrow({ where: { id: "old-call" } });
    expect(JSON.stringify(row.prompt).length).toBeLessThan(json.length - story.length);
    expect(await after.promptPart.count()).toBe(1);
    // And in the short form of references (…_prompt_refs_short), its story's part id as that migration named it.
    expect(row.promptParts).toEqual([[expect.any(Number), expect.stringMatching(/^passage:/)]]);
    const [full] = await withFullPrompts(after, [row]);
    expect(full?.promptText).toBe(json);
  });
});
