import { expect, test } from "@playwright/test";
import { createDb } from "../../lib/db/client";
import { endMatchInDatabase } from "../../lib/studies/assignment";
import { advanceParticipant, joinStudy } from "../../lib/studies/participants";
import { createStudy, launchStudy } from "../../lib/studies/repository";
import { seedResearcher, signInThroughForm } from "./support";

/**
 * The monitor loads without a console error (React's hydration error #418 came from times written differently by
 * the server and the browser) and counts in words ("1 participant"). The study, its launch and a participant who
 * reached a match are made through the lib, straight in the e2e database.
 */
test("the monitor loads and refreshes without console errors, and counts one participant in the singular", async ({
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
        name: `Monitor ${Date.now()}`,
        questions: { source: "quality", count: 2, seed: 5 },
        conditions: [{ name: "debate", protocol: "debate", rounds: 1 }],
        questionsPerJudge: 1,
      },
    }));
    await launchStudy(db, studyId);
    const joined = await joinStudy(db, { studyId, external: { PROLIFIC_PID: "e2e-hydration" }, current: null });
    const options = { endMatch: endMatchInDatabase(db) };
    await advanceParticipant(db, joined.userId, studyId, { step: "consent", agree: true }, options);
    await advanceParticipant(db, joined.userId, studyId, { step: "instructions" }, options);
  } finally {
    await db.$disconnect();
  }

  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));

  await page.goto(`/studies/${studyId}/monitor`);
  await signInThroughForm(page, email);
  await expect(page.getByRole("heading", { name: "Monitor" })).toBeVisible();
  await expect(page.getByTestId("participant-row").filter({ hasText: "e2e-hydration" })).toContainText("1 of 1");
  const status = page.getByText(/^Version 1 · /);
  await expect(status).toContainText("1 participant, 1 online");
  // A refresh from the API has come and gone (the age restarts from zero), and the clock ticked in between.
  await expect(status).toContainText(/updated [1-9] s ago/);
  await expect(status).toContainText("updated 0 s ago");
  expect(problems).toEqual([]);
});
