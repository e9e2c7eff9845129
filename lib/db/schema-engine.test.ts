import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { postgresSchemaIsCurrent, renderPostgresSchema } from "./providers";
import { diffEmptyToSchema, diffMigrationsToSchema, quoteJsonDefaults, schemaPath } from "./schema-engine";

describe("schema engine (wasm)", () => {
  it("finds prisma/migrations in sync with schema.prisma", async () => {
    const sql = await diffMigrationsToSchema();
    // On failure this prints the SQL a new migration needs: run `npm run db:diff -- <name>`.
    expect(sql).toBe("");
  });

  it("keeps prisma/postgresql/schema.prisma the rendering of schema.prisma (npm run db:render)", () => {
    expect(postgresSchemaIsCurrent()).toBe(true);
    const rendered = renderPostgresSchema(fs.readFileSync(schemaPath, "utf8"));
    expect(rendered).toContain('provider = "postgresql"');
    expect(rendered).toContain('"../../lib/db/generated-pg"');
  });

  it("reports the SQL for a schema change that has no migration yet", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-schema-"));
    try {
      const changed = path.join(dir, "schema.prisma");
      const schema = fs.readFileSync(schemaPath, "utf8");
      fs.writeFileSync(changed, `${schema}\nmodel ZzProbe {\n  id String @id\n  meta Json @default("{}")\n}\n`);
      const sql = await diffMigrationsToSchema({ schemaPath: changed });
      expect(sql).toContain('CREATE TABLE "ZzProbe"');
      expect(sql).toContain(`DEFAULT '{}'`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes SQL that creates every model from empty", async () => {
    const sql = await diffEmptyToSchema();
    expect(sql).toContain('CREATE TABLE "Question"');
    expect(sql).not.toMatch(/DEFAULT [[{]/);
  });

  it("quotes Json defaults the engine leaves bare (prisma/orm#26571)", () => {
    const bare = [
      '    "tags" JSONB NOT NULL DEFAULT [],',
      '    "meta" JSONB NOT NULL DEFAULT {"a": 1, "b": "it\'s"}',
      'ALTER TABLE "T" ADD COLUMN "x" JSONB DEFAULT {};',
      "    \"ok\" JSONB NOT NULL DEFAULT '[]',",
    ].join("\n");
    expect(quoteJsonDefaults(bare).split("\n")).toEqual([
      "    \"tags\" JSONB NOT NULL DEFAULT '[]',",
      `    "meta" JSONB NOT NULL DEFAULT '{"a": 1, "b": "it''s"}'`,
      `ALTER TABLE "T" ADD COLUMN "x" JSONB DEFAULT '{}';`,
      "    \"ok\" JSONB NOT NULL DEFAULT '[]',",
    ]);
  });
});
