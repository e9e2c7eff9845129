import { expect, test } from "@playwright/test";
import { createDb } from "../../lib/db/client";
import { MatchRunner } from "../../lib/matches/runner";
import { createModelResolver } from "../../lib/models/resolver";
import { createStudy } from "../../lib/studies/repository";
import { runStudy } from "../../lib/studies/run";
import { seedResearcher, signInThroughForm } from "./support";

/**
 * The results page shows one kind of judge by default — human judges when the study has a human-judged
 * condition — says so, and puts the AI judges' verdicts (here from an automated run) a click away. The study and
 * its run are made through the lib, straight in the e2e database.
 */
test("results of a human-judged study show human judges by default, AI-judged verdicts a click away", async ({
  page,
}) => {
  const email = await seedResearcher();
  const db = createDb(process.env.E2E_DATABASE_URL);
  let studyId: string;
  try {
    const owner = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    ({ id: studyId } = await createStudy(db, {
      ownerId: owner.id,
      config: {
        name: `Judge kinds ${Date.now()}`,
        questions: { source: "quality", count: 2, seed: 7 },
        conditions: [{ name: "debate", protocol: "debate", rounds: 1, judge: "human" }],
        questionsPerJudge: 1,
      },
    }));
    const runner = new MatchRunner({ db, models: createModelResolver({ offlineWordDelayMs: 0 }) });
    const summary = await runStudy(db, { studyId, judge: "offline:heuristic", concurrency: 1, runner });
    expect(summary).toMatchObject({ completed: 2 });
  } finally {
    await db.$disconnect();
  }

  await page.goto(`/studies/${studyId}/results`);
  await signInThroughForm(page, email);
  const note = page.getByTestId("results-judge-kind");
  await expect(note).toContainText("Showing verdicts of human judges only.");
  await expect(page.getByTestId("results-counts")).toContainText("0 verdicts analysed");
  await expect(page.getByLabel("Judges", { exact: true })).toHaveValue("human");
  await expect(page.getByRole("group", { name: /^Conditions/ })).toContainText("debate (debate, human judges)");

  await note.getByRole("link", { name: "AI judges only" }).click();
  await expect(note).toContainText("Showing verdicts of AI judges only.");
  await expect(page.getByTestId("results-counts")).toContainText("2 verdicts analysed");
  await note.getByRole("link", { name: "human and AI judges together" }).click();
  await expect(page).toHaveURL(/judgeKind=all/);
  await expect(page.getByTestId("results-counts")).toContainText("2 verdicts analysed");
  await expect(page.getByLabel("Judges", { exact: true })).toHaveValue("all");
});
