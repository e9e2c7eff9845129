import { expect, test } from "@playwright/test";
import { seedResearcher, signInThroughForm } from "./support";

/**
 * A researcher designs a study of recorded debates in the browser — the recorded protocol's source fields instead of
 * rounds and debaters — launches it on the shipped NYU 2023 debates (seeded on start), runs it with the offline judge
 * and reads, on the results page, the new judge's accuracy against the original judges' on the same debates.
 */
test("a researcher designs a study of recorded NYU debates, runs it and compares with the original judges", async ({
  page,
}) => {
  const email = await seedResearcher();
  await page.goto("/studies/new");
  await signInThroughForm(page, email);
  await expect(page.getByRole("heading", { name: "New study" })).toBeVisible();

  await page.getByLabel("Study name").fill("E2E recorded debates");
  const condition = page.getByRole("group", { name: "Condition 1" });
  await condition.getByLabel("Name").fill("nyu-again");
  await condition.getByLabel("Protocol").selectOption("recorded");
  // The source's debaters, rounds and word limits apply: the form asks for the source instead.
  await expect(condition.getByLabel("Rounds")).toHaveCount(0);
  await expect(condition.getByLabel("Debaters")).toHaveCount(0);
  await condition.getByLabel("Source study or dataset").fill("nyu-2023");
  await condition.getByLabel("Source protocol").selectOption("interactive");
  await condition.getByLabel("Source tags (optional)").fill("live-judge");
  await condition.getByLabel("Debates to draw (optional)").fill("2");
  await condition.getByLabel("Mode").selectOption("timed");
  await condition.getByLabel("Judge", { exact: true }).fill("offline:heuristic");
  await page.getByLabel("Judgments per question and condition").fill("2");
  await page.getByLabel("Matches per participant").fill("2");
  await expect(page.getByTestId("participants-needed")).toContainText("≈ 2");

  await page.getByRole("button", { name: "Create study" }).click();
  await expect(page.getByRole("heading", { name: "E2E recorded debates" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Conditions" })).toContainText(
    'recorded debates of "nyu-2023" (protocol interactive; tags live-judge), 2 drawn',
  );

  await page.getByRole("button", { name: "Launch", exact: true }).click();
  await expect(page.getByTestId("study-status")).toHaveText("live");
  await page.getByLabel("Judge", { exact: true }).fill("offline:heuristic");
  await page.getByRole("button", { name: "Start automated run" }).click();
  const run = page.getByTestId("run-progress");
  await expect(run.getByTestId("run-count")).toHaveText("4 / 4", { timeout: 90_000 });
  await expect(run.getByTestId("run-status")).toHaveText("complete");

  await page.getByRole("link", { name: "Results" }).click();
  const table = page.getByRole("table").filter({ hasText: "Recorded debates judged again" });
  const row = table.getByRole("row").filter({ hasText: "nyu-again" });
  await expect(row.getByRole("cell").nth(0)).toHaveText("2");
  await expect(row.getByRole("cell").nth(1)).toHaveText("4");
  await expect(row).toContainText(/points/);
});
