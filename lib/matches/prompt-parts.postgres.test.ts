import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { tempDatabase } from "../../tests/support/temp-db";
import { seedQuestionBank } from "../questions/seed";
import { createDebateMatch } from "./create";
import { parsePromptRefs, promptPartId, savePromptParts, withFullPrompts } from "./prompt-parts";

// PostgreSQL only (the PostgreSQL pass of vitest.config.ts): the hand-written backfill of `…_prompt_refs_short`
// turns references stored in the earlier form ({ part, at, passage? } objects) into [at, part(, passage)] lists, in
// order, and the prompts stay exact. The SQLite migration is covered by tests/integration/prompt-storage.test.ts.

const temp = tempDatabase("pg-prompt-refs");
const migration = fs
  .readdirSync(path.resolve(import.meta.dirname, "../../prisma/postgresql/migrations"))
  .find((name) => name.endsWith("_prompt_refs_short"));

describe("prompt references on PostgreSQL", () => {
  it("converts references of the earlier form to the short form, in order, exactly", async () => {
    expect(migration).toBeDefined();
    const db = temp.db();
    await seedQuestionBank(db);
    const { id: matchId } = await createDebateMatch(db, { judgeModel: "offline:naive", seed: 3 });
    const system = `You are a debater. ${"Quote the story exactly. ".repeat(6)}`;
    const rule = `Argue in at most 150 words. ${"Quote word for word. ".repeat(4)}`;
    const json = JSON.stringify({ system, messages: [{ role: "user", content: `Q?\n\n${rule}\n\n${rule}` }] });
    const cut = (text: string) => JSON.stringify(text).slice(1, -1);
    // Two references at offsets in the rest, one part used twice, in the order the earlier code wrote them.
    const rest = json.replace(cut(system), "").split(cut(rule)).join("");
    const first = json.indexOf(cut(system));
    const second = json.indexOf(cut(rule)) - cut(system).length;
    const third = second + "\\n\\n".length;
    const refs = [
      { part: "old-system", at: first },
      { part: "old-rule", at: second },
      { part: "old-rule", at: third },
    ];
    await db.promptPart.createMany({
      data: [
        { id: "old-system", text: system },
        { id: "old-rule", text: rule },
      ],
    });
    await db.$executeRaw`INSERT INTO "ModelCall" ("id", "matchId", "round", "role", "model", "promptVersion", "promptHash", "prompt", "promptParts", "output", "latencyMs") VALUES ('pg-earlier', ${matchId}, 1, 'judge', 'offline:naive', 'judge.v1', 'h', ${rest}::jsonb, ${JSON.stringify(refs)}::jsonb, '', 1)`;
    const before = await db.modelCall.findUniqueOrThrow({ where: { id: "pg-earlier" } });
    expect((await withFullPrompts(db, [before]))[0]?.promptText).toBe(json);

    const sql = fs.readFileSync(
      path.resolve(import.meta.dirname, "../../prisma/postgresql/migrations", migration ?? "", "migration.sql"),
      "utf8",
    );
    const client = new pg.Client({ connectionString: temp.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
    const row = await db.modelCall.findUniqueOrThrow({ where: { id: "pg-earlier" } });
    expect(row.promptParts).toEqual([
      [first, "old-system"],
      [second, "old-rule"],
      [third, "old-rule"],
    ]);
    expect(parsePromptRefs(row.promptParts)).toEqual(refs);
    expect((await withFullPrompts(db, [row]))[0]?.promptText).toBe(json);
    expect(promptPartId(rule)).not.toBe("old-rule");
  });

  it("saves a part another call's transaction is saving at the same moment, and both transactions commit", async () => {
    // Two debaters of different matches send the same new paragraph at once: on PostgreSQL the second transaction
    // does not see the first's uncommitted part, tries to insert it too and waits on its row lock. It must then
    // go on (the part is there), not fail with a unique violation that aborts its model call's transaction.
    const db = temp.db();
    const text = `A paragraph both calls send for the first time. ${"Quote the story. ".repeat(5)}`;
    const id = promptPartId(text);
    const parts = new Map([[id, text]]);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let saved = () => {};
    const firstSaved = new Promise<void>((resolve) => {
      saved = resolve;
    });
    const first = db.$transaction(
      async (tx) => {
        await savePromptParts(tx, parts);
        saved();
        await held;
      },
      { timeout: 60_000 },
    );
    await firstSaved;
    const second = db.$transaction((tx) => savePromptParts(tx, parts), { timeout: 60_000 });
    // The second insert is waiting on the first's row: only then does the first commit.
    const probe = new pg.Client({ connectionString: temp.url });
    await probe.connect();
    try {
      for (;;) {
        const { rows } = await probe.query<{ waiting: number }>(
          "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        if ((rows[0]?.waiting ?? 0) > 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await probe.end();
    }
    release();
    await Promise.all([first, second]);
    expect(await db.promptPart.count({ where: { id } })).toBe(1);
  });
});
