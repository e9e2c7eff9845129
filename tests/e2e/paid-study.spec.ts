import fs from "node:fs";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { parse as parseCsv } from "csv-parse/sync";
import { strFromU8, unzipSync } from "fflate";
import { createDb } from "../../lib/db/client";
import { seedResearcher, signInThroughForm } from "./support";

/**
 * A paid, screened study end to end in the browser: a researcher designs it through the form — a survey question,
 * a one-match qualification block and a bonus rule — and launches it; two participants come from Prolific links in
 * their own browsers, one passes the qualification and judges the study's match, the other misses it and is
 * screened out (both answer the survey); the researcher downloads every table from the study page and finds both
 * participants' survey answers and Prolific ids, and the bonus file pays the one who completed, to the cent.
 */

const rowsOf = (text: string) => parseCsv(text, { columns: true }) as Array<Record<string, string>>;
const unzip = (bytes: Buffer) =>
  Object.fromEntries(Object.entries(unzipSync(new Uint8Array(bytes))).map(([name, data]) => [name, strFromU8(data)]));

/** Clicks what `click` finds and returns the downloaded file's bytes. */
async function download(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  return fs.readFileSync(await file.path());
}

/**
 * Judges the match on screen (one round of two speakers) with 90% on the correct answer (`right`) or on the wrong
 * one: the slider's label names the option on its right, compared with the stored question's gold.
 */
async function judgeMatch(page: Page, right: boolean): Promise<void> {
  const matchId = (await page.getByTestId("study-match").getAttribute("data-match-id")) ?? "";
  await expect(page.getByRole("heading", { name: /^Round 1 of 1/ })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("turn")).toHaveCount(2);
  const db = createDb(process.env.E2E_DATABASE_URL);
  const question = await db.match
    .findUniqueOrThrow({ where: { id: matchId }, select: { question: { select: { options: true, gold: true } } } })
    .then((m) => m.question)
    .finally(() => db.$disconnect());
  const gold = (question.options as string[])[question.gold] ?? "";
  const label = (await page.getByRole("slider").getAttribute("aria-label")) ?? "";
  const goldOnRight = label.startsWith(`Probability that the answer is “${gold}”`);
  await page.getByRole("slider").fill(goldOnRight === right ? "90" : "10");
  await page.getByRole("button", { name: "Submit verdict" }).click();
  await expect(page.getByRole("status").filter({ hasText: right ? "You were right" : "Not this time" })).toBeVisible();
}

/** A participant from their own Prolific link, in a browser of their own, through to their completion code. */
async function takePart(browser: Browser, studyId: string, pid: string, qualify: boolean, age: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`/join/${studyId}?PROLIFIC_PID=${pid}&STUDY_ID=paid&SESSION_ID=${pid}-s`);
    await page.getByRole("checkbox", { name: /I agree to take part/ }).check();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { name: "Instructions" })).toBeVisible();
    // The instructions state the screening rule and the pay.
    await expect(page.getByText(/To go on, get at least 1 of 1 right/)).toBeVisible();
    await expect(page.getByText(/bonus/i).first()).toBeVisible();
    await page.getByRole("button", { name: "Continue" }).click();

    await expect(page.getByRole("heading", { name: "Qualifying match 1 of 1" })).toBeVisible();
    await judgeMatch(page, qualify);
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    if (qualify) {
      await expect(page.getByRole("heading", { name: "Match 1 of 1" })).toBeVisible();
      await judgeMatch(page, true);
      await expect(page.getByText(/Your bonus so far/)).toBeVisible();
      await page.getByRole("button", { name: "Continue", exact: true }).click();
    }
    await expect(page.getByRole("heading", { name: "A few last questions" })).toBeVisible();
    await page.getByLabel(/How old are you\?/).fill(age);
    await page.getByRole("button", { name: "Submit answers" }).click();
    const code = qualify ? "PAID-DONE" : "PAID-SCREENED";
    await expect(page.getByTestId("completion-code")).toHaveText(code);
    if (!qualify) await expect(page.getByText(/qualifying matches did not reach the level/)).toBeVisible();
  } finally {
    await context.close();
  }
}

test("a researcher runs a paid, screened study from the form to the bonus file", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const email = await seedResearcher();
  await page.goto("/studies/new");
  await signInThroughForm(page, email);
  await expect(page.getByRole("heading", { name: "New study" })).toBeVisible();

  await page.getByLabel("Study name").fill("E2E paid study");
  await page.getByLabel("Question set").selectOption("quality");
  await page.getByLabel("Number of questions").fill("2");
  const condition = page.getByRole("group", { name: "Condition 1" });
  await condition.getByLabel("Name").fill("debate");
  await condition.getByLabel("Protocol").selectOption("debate");
  await condition.getByLabel("Rounds").fill("1");
  await page.getByLabel("Matches per participant").fill("1");

  await page.getByLabel("Qualification matches").fill("1");
  await page.getByLabel("Pass rule").selectOption("accuracy");
  await page.getByLabel("Pass at least").fill("1");

  await page.getByRole("button", { name: "Add survey question" }).click();
  const survey = page.getByRole("group", { name: "Survey question 1" });
  await survey.getByLabel("Prompt").fill("How old are you?");
  await survey.getByLabel("Required").check();

  await page.getByLabel("Base pay").fill("2.50");
  await page.getByLabel("Pay a performance bonus").check();
  await page.getByLabel("Bonus per point").fill("2");
  await page.getByLabel("Floor (mean score)").fill("0");
  await page.getByLabel("Cap").fill("5");

  await page.getByLabel("Completed code").fill("PAID-DONE");
  await page.getByLabel("Screened-out code").fill("PAID-SCREENED");

  await page.getByRole("button", { name: "Create study" }).click();
  await expect(page.getByRole("heading", { name: "E2E paid study" })).toBeVisible();
  const studyId = new URL(page.url()).pathname.split("/").pop() ?? "";
  await page.getByRole("button", { name: "Launch", exact: true }).click();
  await expect(page.getByTestId("study-status")).toHaveText("live");

  await takePart(browser, studyId, "paidPasses", true, "34");
  await takePart(browser, studyId, "paidScreened", false, "52");

  // Every table, raw ids (the owner may), from the study page.
  await page.reload();
  const exportForm = page.getByRole("form", { name: "Export" });
  await exportForm.getByRole("checkbox", { name: /Include raw external ids/ }).check();
  const files = unzip(
    await download(page, () =>
      exportForm.getByRole("button", { name: "All tables (zip)", exact: true }).click({ timeout: 30_000 }),
    ),
  );
  const participants = rowsOf(files["participants.csv"] ?? "");
  expect(Object.fromEntries(participants.map((p) => [p.external_id, p.status]))).toEqual({
    paidPasses: "completed",
    paidScreened: "screened_out",
  });
  const answers = rowsOf(files["survey_answers.csv"] ?? "");
  const byParticipant = new Map(participants.map((p) => [p.participant_id, p.external_id]));
  expect(Object.fromEntries(answers.map((a) => [byParticipant.get(a.participant_id), a.answer]))).toEqual({
    paidPasses: "34",
    paidScreened: "52",
  });
  const payments = rowsOf(files["payments.csv"] ?? "");
  const paid = payments.find(
    (p) => p.participant_id === participants.find((x) => x.status === "completed")?.participant_id,
  );
  expect(paid).toMatchObject({ base_pay: "2.5", currency: "GBP" });

  // The bonus file: one line, the participant who completed: (1 + log2 0.9 − 0) × 2 = 1.696 → 1.70.
  const bonusFile = await download(page, () => page.getByRole("link", { name: "Download the bonus file" }).click());
  expect(bonusFile.toString("utf8")).toBe("paidPasses,1.70\n");
  expect(paid?.bonus).toBe("1.7");

  // The results report the screening.
  await page.goto(`/studies/${studyId}/results`);
  await expect(page.getByTestId("results-screening")).toContainText("Screening: 1 of 2 participants passed");
});
