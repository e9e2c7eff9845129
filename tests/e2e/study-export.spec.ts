import fs from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { parse as parseCsv } from "csv-parse/sync";
import { strFromU8, unzipSync } from "fflate";
import { createDb } from "../../lib/db/client";
import { EXPORT_TABLES } from "../../lib/export/columns";
import { createLaunchedStudy, takeStudy } from "../support/studies";
import { seedResearcher, signInThroughForm } from "./support";

/**
 * A researcher downloads a finished study's data from its page: every table as one zip (pseudonymised, then with
 * raw external ids), and one table on its own, and finds both participants' survey answers and Prolific ids. The
 * two participants are seeded through the participant module's own steps (tests/support/studies.ts).
 */

const rowsOf = (text: string) => parseCsv(text, { columns: true }) as Array<Record<string, string>>;

/** Clicks `button` and returns the downloaded file's name and bytes. */
async function download(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("form", { name: "Export" }).getByRole("button", { name: button, exact: true }).click(),
  ]);
  const saved = await file.path();
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(saved) };
}

const unzip = (bytes: Buffer) =>
  Object.fromEntries(Object.entries(unzipSync(new Uint8Array(bytes))).map(([name, data]) => [name, strFromU8(data)]));

test("a researcher downloads every table of a finished study from its page", async ({ page }) => {
  const email = await seedResearcher();
  const db = createDb(process.env.E2E_DATABASE_URL);
  let studyId = "";
  try {
    const owner = await db.user.findUniqueOrThrow({ where: { email } });
    studyId = (
      await createLaunchedStudy(db, owner.id, {
        name: "E2E export study",
        questions: { source: "quality", count: 2, seed: 5 },
        conditions: [{ name: "debate", protocol: "debate", rounds: 1 }],
        questionsPerJudge: 1,
        comprehensionCheck: {
          questions: [{ question: "Who reads the story?", options: ["Debaters", "You"], answer: 0 }],
        },
        survey: [
          { id: "confidence", prompt: "How confident were you?", kind: "scale", required: true },
          { id: "comments", prompt: "Anything else?", kind: "text" },
        ],
      })
    ).studyId;
    await takeStudy(db, studyId, {
      pid: "e2eExportOne",
      checks: [[1], [0]],
      survey: { confidence: 6, comments: "Fun" },
    });
    await takeStudy(db, studyId, { pid: "e2eExportTwo", checks: [[0]], survey: { confidence: 2 } });
  } finally {
    await db.$disconnect();
  }

  await page.goto(`/studies/${studyId}`);
  await signInThroughForm(page, email);
  await expect(page.getByRole("heading", { name: "Export", exact: true })).toBeVisible({ timeout: 30_000 });
  const panel = page.getByRole("form", { name: "Export" });
  for (const table of EXPORT_TABLES)
    await expect(panel.getByRole("button", { name: table, exact: true })).toBeVisible();

  // Every table as one zip, pseudonymised by default.
  const pseudonymised = await download(page, "All tables (zip)");
  expect(pseudonymised.name).toBe("e2e-export-study-csv.zip");
  const files = unzip(pseudonymised.bytes);
  expect(Object.keys(files).sort()).toEqual(EXPORT_TABLES.map((t) => `${t}.csv`).sort());
  const survey = rowsOf(files["survey_answers.csv"] ?? "");
  expect(survey).toHaveLength(4);
  expect(
    survey
      .filter((r) => r.question_id === "confidence")
      .map((r) => r.answer)
      .sort(),
  ).toEqual(["2", "6"]);
  expect(survey.find((r) => r.question_id === "comments" && r.answered === "true")?.answer).toBe("Fun");
  const participants = rowsOf(files["participants.csv"] ?? "");
  expect(participants.map((r) => r.status)).toEqual(["completed", "completed"]);
  for (const row of participants) expect(row.external_id).toMatch(/^x-[0-9a-f]{12}$/);
  expect(JSON.stringify(files)).not.toContain("e2eExport");

  // With raw ids (the owner may): the Prolific ids themselves, in JSON Lines.
  await panel.getByRole("radio", { name: /JSON Lines/ }).check();
  await panel.getByRole("checkbox", { name: /Include raw external ids/ }).check();
  const raw = unzip((await download(page, "All tables (zip)")).bytes);
  const rawParticipants = (raw["participants.jsonl"] ?? "")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(rawParticipants.map((r) => r.external_id).sort()).toEqual(["e2eExportOne", "e2eExportTwo"]);

  // One table on its own.
  await panel.getByRole("radio", { name: /CSV/ }).check();
  await panel.getByRole("checkbox", { name: /Include raw external ids/ }).uncheck();
  const single = await download(page, "survey_answers");
  expect(single.name).toBe("e2e-export-study-survey_answers.csv");
  expect(rowsOf(single.bytes.toString("utf8"))).toHaveLength(4);
});
