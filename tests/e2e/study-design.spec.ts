import { expect, test } from "@playwright/test";
import { createDb } from "../../lib/db/client";
import { endMatchInDatabase } from "../../lib/studies/assignment";
import { advanceParticipant, joinStudy } from "../../lib/studies/participants";
import { seedResearcher, signInThroughForm } from "./support";

/**
 * A researcher's path through the browser: design a two-condition study (a refused design keeps what was typed),
 * create and launch it, find its version hash and participant links, run it with an AI judge to the end, and open
 * its monitor. The researcher is seeded straight into the e2e database and signs in through the sign-in page.
 */

test("a researcher designs, launches and runs a study, then opens its monitor", async ({ page }) => {
  const email = await seedResearcher();
  await page.goto("/studies/new");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fstudies%2Fnew/);
  await signInThroughForm(page, email);
  await expect(page.getByRole("heading", { name: "New study" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Studies" })).toBeVisible();

  // Two conditions, two questions, one round each — the second condition misnamed as a duplicate of the first.
  await page.getByLabel("Study name").fill("E2E protocol comparison");
  await page.getByLabel("Question set").selectOption("quality");
  await page.getByLabel("Number of questions").fill("2");
  const first = page.getByRole("group", { name: "Condition 1" });
  await first.getByLabel("Name").fill("debate");
  await first.getByLabel("Protocol").selectOption("debate");
  await first.getByLabel("Rounds").fill("1");
  await first.getByLabel("Debaters").fill("offline:extractive");
  await page.getByRole("button", { name: "Add condition" }).click();
  const second = page.getByRole("group", { name: "Condition 2" });
  await second.getByLabel("Name").fill("Debate");
  await second.getByLabel("Protocol").selectOption("consultancy");
  await second.getByLabel("Rounds").fill("1");
  await page.getByLabel("Matches per participant").fill("2");
  await expect(page.getByTestId("participants-needed")).toContainText("≈ 2");

  await page.getByRole("button", { name: "Create study" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not saved" })).toContainText(
    "Condition 2 – name: condition names must differ",
  );
  await expect(second.getByText("condition names must differ")).toBeVisible();
  await expect(second.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  // Nothing typed was lost.
  await expect(second.getByLabel("Name")).toHaveValue("Debate");
  await expect(second.getByLabel("Protocol")).toHaveValue("consultancy");
  await expect(page.getByLabel("Study name")).toHaveValue("E2E protocol comparison");
  await expect(page.getByLabel("Number of questions")).toHaveValue("2");

  await second.getByLabel("Name").fill("consultancy");
  await page.getByRole("button", { name: "Create study" }).click();
  await expect(page.getByRole("heading", { name: "E2E protocol comparison" })).toBeVisible();
  await expect(page).toHaveURL(/\/studies\/(?!new$)[a-z0-9]+$/);
  const studyId = new URL(page.url()).pathname.split("/").pop() ?? "";
  await expect(page.getByTestId("study-status")).toHaveText("draft");

  await page.getByRole("button", { name: "Launch", exact: true }).click();
  await expect(page.getByTestId("study-status")).toHaveText("live");
  await expect(page.getByTestId("study-version")).toHaveCount(1);
  await expect(page.getByTestId("version-hash")).toHaveText(/^[0-9a-f]{12}$/);
  await expect(page.getByTestId("slot-fill")).toHaveCount(2);
  await expect(page.getByLabel("Participant link", { exact: true })).toHaveValue(
    new RegExp(`^http://127\\.0\\.0\\.1:\\d+/join/${studyId}$`),
  );
  await expect(page.getByLabel("Prolific link", { exact: true })).toHaveValue(
    `${new URL(page.url()).origin}/join/${studyId}?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}`,
  );

  // An automated run with the offline judge: every planned judgment (2 questions × 2 conditions) once.
  await page.getByLabel("Judge", { exact: true }).fill("offline:heuristic");
  await page.getByRole("button", { name: "Start automated run" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Automated run started" })).toBeVisible();
  const run = page.getByTestId("run-progress");
  await expect(run.getByTestId("run-count")).toHaveText("4 / 4", { timeout: 60_000 });
  await expect(run.getByTestId("run-status")).toHaveText("complete");
  await expect(run).not.toContainText("errored");

  await page.getByRole("link", { name: "Monitor" }).click();
  await expect(page.getByRole("heading", { name: "Monitor" })).toBeVisible();
  await expect(page.getByText("No participants yet — share the link")).toBeVisible();
  await expect(page.getByTestId("slot-fill")).toHaveCount(2);

  // A participant arrives (through the lib, as the join link would) and shows up within a poll; the researcher
  // ends their match after confirming.
  const db = createDb(process.env.E2E_DATABASE_URL);
  try {
    const joined = await joinStudy(db, { studyId, external: { PROLIFIC_PID: "e2e-monitor" }, current: null });
    const options = { endMatch: endMatchInDatabase(db) };
    await advanceParticipant(db, joined.userId, studyId, { step: "consent", agree: true }, options);
    await advanceParticipant(db, joined.userId, studyId, { step: "instructions" }, options);
  } finally {
    await db.$disconnect();
  }
  const row = page.getByTestId("participant-row").filter({ hasText: "e2e-monitor" });
  await expect(row).toContainText("1 of 2");
  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "End match of e2e-monitor" }).click();
  await expect(page.getByTestId("monitor-notice")).toHaveText("Match ended; its slot is open again.");
  await expect(row).toContainText("0 of 2");
});
